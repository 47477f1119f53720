using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Studio.Sessions;
using SemanticManipulation.Studio.Worker;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

/// <summary>
/// The studio's memory stays bounded (issue 12): photo after photo in one server process, the bounded session cache
/// is all that grows, and what it counts against its limit is what a session really costs.
/// </summary>
public sealed class MemoryTests(ITestOutputHelper output)
{
    private const int Photos = 50;
    private const int WarmUp = 5;
    private const int MaxSessions = 4;

    /// <summary>The side of the model the sizes below were measured with. A session's tensors (the photo, its masks, the
    /// late layers' features and the perturbations of them) grow at most with the canvas's area, and so do the blocks the
    /// jobs free, whose high-water mark the allocator keeps. So each size is used times (S/64)²
    /// (<see cref="AtResolution"/>): the cache still holds <see cref="MaxSessions"/> sessions, and each allowance grows as
    /// fast as the noise it absorbs at most. A session grows by less (the early layers' features not at all), so at a
    /// larger side the margin by which a session leaked per photo exceeds an allowance is narrower than at 64².</summary>
    private const int MeasuredResolution = 64;

    /// <summary>The cache's limit at 64²: it holds <see cref="MaxSessions"/> sessions (one of them rendered), so the count,
    /// not the memory, decides which session is evicted.</summary>
    private const int CacheMegabytes = 8;

    /// <summary>What the resident set may grow by beyond the cache's limit from warm-up to the end, at 64²: glibc keeps
    /// freed blocks in its arenas (the worker's and each Kestrel thread's) rather than returning them to the system, so
    /// RSS follows the high-water mark of fragmented native heap, and the GC keeps some free space in its segments.
    /// A per-photo leak of even one small session (~1.5 MiB at 64²) over 45 photos would exceed it.</summary>
    private const int AllowanceMegabytes = 32;

    /// <summary>What the resident set may grow by over the last 25 photos (the cache already full all along), at 64²: the
    /// same allocator and GC noise, which is not proportional to the photos (measured: from -2 to +14 MiB between two
    /// measurements with the same live heap); leaking one small session (1.1 MiB at 64²) a photo exceeds it.</summary>
    private const int LastHalfMegabytes = 16;

    /// <summary>What the native heap in use may grow by over the last 25 photos, at 64²: a fraction of one session.</summary>
    private const int NativeMegabytes = 4;

    [Fact]
    [Trait("Category", "Heavy")]
    public async Task Fifty_photos_opened_one_after_another_keep_resident_memory_within_the_cache_limit_and_evicted_sessions_answer_410()
    {
        // The cache's limit is a setting of the studio, so the model's side is read from the bundle before it starts.
        var resolution = StudioServer.DefaultModelResolution();
        var cacheMegabytes = AtResolution(CacheMegabytes, resolution);
        var allowanceMegabytes = AtResolution(AllowanceMegabytes, resolution);
        var lastHalfMegabytes = AtResolution(LastHalfMegabytes, resolution);
        var nativeMegabytes = AtResolution(NativeMegabytes, resolution);
        await using var server = await StudioServer.StartAsync(o =>
        {
            o.MaxSessions = MaxSessions;
            o.MaxCacheMegabytes = cacheMegabytes;
            o.RenderAdaptationSteps = 40;
        });
        var client = server.Client;
        var store = server.Services.GetRequiredService<SessionStore>();
        var worker = server.Services.GetRequiredService<TensorWorker>();
        var church = await File.ReadAllBytesAsync(SamplePath("church.jpg"));

        var sessions = new List<string>();
        var estimates = new List<long>();
        ProcessMemory? warm = null, middle = null;
        for (var i = 0; i < Photos; i++)
        {
            var session = await client.NewSession();
            sessions.Add(session);
            await OpenPhoto(client, session, i, church);
            var painted = await client.Stroke(session, new { action = "add", concept = "tree", mask = Masks.Encode(Stroke(i, resolution)) });
            Assert.True(PreviewOf(painted).Length > 0);
            using (var preview = await client.GetAsync($"/api/sessions/{session}/preview.png"))
            {
                Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            }

            if (i % 5 == 4)
            {
                var rendered = await client.Stream($"/api/sessions/{session}/render");
                Assert.Equal("done", rendered[^1]["type"]!.GetValue<string>());
                estimates.Add(rendered[^1]["state"]!["estimatedBytes"]!.GetValue<long>());
            }

            // The store never holds more than its limits, and the session pushed out by this photo tells its tab so.
            Assert.InRange(store.Count, 1, MaxSessions);
            Assert.InRange(store.EstimatedBytes, 1, store.MaxBytes);
            if (i >= MaxSessions)
            {
                using var evicted = await client.GetAsync($"/api/sessions/{sessions[i - MaxSessions]}");
                await AssertRefused(evicted, HttpStatusCode.Gone, "expired");
            }

            // The photo sources repeat every 5 photos, so the cache holds the same kinds of sessions at each measurement.
            if (i == WarmUp - 1)
            {
                warm = await ProcessMemory.Measure(worker);
                output.WriteLine($"after {i + 1} photos: {warm}; store {store.Count} sessions, {ProcessMemory.Mib(store.EstimatedBytes)} MiB estimated");
            }
            else if (i == (Photos / 2) - 1)
            {
                middle = await ProcessMemory.Measure(worker);
                output.WriteLine($"after {i + 1} photos: {middle}; store {store.Count} sessions, {ProcessMemory.Mib(store.EstimatedBytes)} MiB estimated");
            }
        }

        var end = await ProcessMemory.Measure(worker);
        output.WriteLine($"after {Photos} photos: {end}; store {store.Count} sessions, {ProcessMemory.Mib(store.EstimatedBytes)} MiB estimated; " +
                         $"a rendered session is estimated at {ProcessMemory.Mib((long)estimates.Average())} MiB");

        foreach (var old in sessions.Take(Photos - MaxSessions))
        {
            using var expired = await client.GetAsync($"/api/sessions/{old}/preview.png");
            await AssertRefused(expired, HttpStatusCode.Gone, "expired");
        }

        foreach (var kept in sessions.Skip(Photos - MaxSessions))
        {
            using var alive = await client.GetAsync($"/api/sessions/{kept}/preview.png");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        Assert.NotNull(warm);
        Assert.NotNull(middle);
        // Evicted sessions release every tensor: the cache holds the same kinds of sessions, so exactly as many live.
        Assert.Equal(warm.LiveTensors, end.LiveTensors);
        Assert.Equal(middle.LiveTensors, end.LiveTensors);
        var growth = end.Resident - warm.Resident;
        Assert.True(growth <= (long)(cacheMegabytes + allowanceMegabytes) << 20,
            $"RSS grew by {ProcessMemory.Mib(growth)} MiB from photo {WarmUp} to {Photos}, over the cache's {cacheMegabytes} MiB + {allowanceMegabytes} MiB; after {WarmUp}: {warm}; after {Photos}: {end}");
        var lastHalf = end.Resident - middle.Resident;
        Assert.True(lastHalf <= (long)lastHalfMegabytes << 20,
            $"RSS grew by {ProcessMemory.Mib(lastHalf)} MiB over the last {Photos / 2} photos, over {lastHalfMegabytes} MiB; after {Photos / 2}: {middle}; after {Photos}: {end}");
        if (end.NativeInUse >= 0)
        {
            // The native heap in use (not what the allocator keeps) is the sharper leak detector.
            var native = end.NativeInUse - middle.NativeInUse;
            Assert.True(native <= (long)nativeMegabytes << 20,
                $"the native heap in use grew by {ProcessMemory.Mib(native)} MiB over the last {Photos / 2} photos, over {nativeMegabytes} MiB");
        }
    }

    [Fact]
    [Trait("Category", "Heavy")]
    public async Task A_sessions_estimated_bytes_are_within_a_factor_of_two_of_the_memory_it_really_holds()
    {
        const int held = 20;
        await using var server = await StudioServer.StartAsync(o =>
        {
            o.MaxSessions = 64;
            o.RenderAdaptationSteps = 40;
        });
        var client = server.Client;
        var store = server.Services.GetRequiredService<SessionStore>();
        var worker = server.Services.GetRequiredService<TensorWorker>();
        var church = await File.ReadAllBytesAsync(SamplePath("church.jpg"));

        // Warm up every path once (model caches, JIT, pools), then end those sessions so that only the held ones count.
        for (var i = 0; i < 5; i++)
        {
            var session = await client.NewSession();
            await Edit(client, session, i, church, server.Resolution);
            using var deleted = await client.DeleteAsync($"/api/sessions/{session}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var before = await ProcessMemory.Measure(worker);
        var trimmedBefore = ProcessMemory.TrimmedResident();
        for (var i = 0; i < held; i++)
        {
            await Edit(client, await client.NewSession(), i, church, server.Resolution);
        }

        var after = await ProcessMemory.Measure(worker);
        var trimmedAfter = ProcessMemory.TrimmedResident();
        Assert.Equal(held, store.Count);
        var estimated = store.EstimatedBytes / held;
        var native = (after.NativeInUse - before.NativeInUse) / held;
        var managed = (after.Managed - before.Managed) / held;
        var resident = (after.Resident - before.Resident) / held;
        output.WriteLine($"before: {before}; after {held} sessions: {after}");
        output.WriteLine($"per session: estimated {ProcessMemory.Mib(estimated)} MiB; measured native {ProcessMemory.Mib(native)} MiB + managed " +
                         $"{ProcessMemory.Mib(managed)} MiB; RSS {ProcessMemory.Mib(resident)} MiB, after malloc_trim {ProcessMemory.Mib((trimmedAfter - trimmedBefore) / held)} MiB; {(after.LiveTensors - before.LiveTensors) / (double)held:F1} tensors");
        Assert.True(before.NativeInUse >= 0, "glibc's mallinfo2 is needed to measure the native heap");
        var measured = native + managed;
        Assert.InRange(estimated, measured / 2, measured * 2);
    }

    /// <summary>A size in MiB measured at 64² (<see cref="MeasuredResolution"/>), for an S×S model.</summary>
    private static int AtResolution(int megabytes, int resolution) =>
        (int)((long)megabytes * resolution * resolution / (MeasuredResolution * MeasuredResolution));

    /// <summary>Photo <paramref name="i"/>'s tree stroke: a square of 24 px at 64², shifted with the photo.</summary>
    private static byte[] Stroke(int i, int resolution) => Masks.ScaledRectangle(i % 20, 8, (i % 20) + 24, 32, resolution);

    /// <summary>Opens photo <paramref name="i"/> in <paramref name="session"/>, paints a stroke and, every fifth
    /// photo, renders.</summary>
    private static async Task Edit(HttpClient client, string session, int i, byte[] church, int resolution)
    {
        await OpenPhoto(client, session, i, church);
        await client.Stroke(session, new { action = "add", concept = "tree", mask = Masks.Encode(Stroke(i, resolution)) });
        if (i % 5 == 4)
        {
            var rendered = await client.Stream($"/api/sessions/{session}/render");
            Assert.Equal("done", rendered[^1]["type"]!.GetValue<string>());
        }
    }

    /// <summary>Photo <paramref name="i"/>: a seed, an uploaded generated PNG, an uploaded crop of the church (a
    /// different one each time), the church sample, or a seed again; all distinct but the sample.</summary>
    private static async Task OpenPhoto(HttpClient client, string session, int i, byte[] church)
    {
        switch (i % 5)
        {
            case 0:
            case 4:
                await client.Open(session, $"seed/{100 + i}");
                break;
            case 1:
                var generated = await client.GetByteArrayAsync($"/api/generated/{1000 + i}");
                await client.Open(session, "upload", ImageContent(generated, "image/png"));
                break;
            case 2:
                await client.Open(session, "upload", ImageContent(ChurchCrop(church, i)));
                break;
            default:
                await client.Open(session, "sample/church");
                break;
        }
    }

    private static byte[] ChurchCrop(byte[] church, int i)
    {
        using var image = Image.Load(church);
        image.Mutate(x => x.Crop(new Rectangle(i % 40, (i / 2) % 30, image.Width - 40, image.Height - 30)));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }
}

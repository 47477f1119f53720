using System.Net;
using System.Text.Json.Nodes;
using SemanticManipulation.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

[Collection(SharedStudio.Name)]
public sealed class RenderEndpointTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    private int Resolution => studio.Resolution;

    private byte[] TreeMask => Masks.ScaledRectangle(4, 8, 24, 28, Resolution);

    private object AddTree() => new { action = "add", concept = "tree", mask = Masks.Encode(TreeMask) };

    [Fact]
    public async Task A_render_streams_adaptation_progress_and_keeps_the_unedited_pixels_above_30_dB()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "sample/church");
        await Client.Stroke(session, AddTree());
        using (var early = await Client.GetAsync($"/api/sessions/{session}/render.png"))
        {
            await AssertRefused(early, HttpStatusCode.Conflict, "render");
        }

        using (var earlyFull = await Client.GetAsync($"/api/sessions/{session}/render-full.png"))
        {
            await AssertRefused(earlyFull, HttpStatusCode.Conflict, "render");
        }

        var events = await Client.Stream($"/api/sessions/{session}/render");
        var progress = events.Where(e => e["type"]!.GetValue<string>() == "progress").ToList();
        Assert.True(progress.Count >= 10, $"{progress.Count} progress events");
        Assert.All(progress, e => Assert.Equal("adapting", e["stage"]!.GetValue<string>()));
        Assert.Equal(150, progress[^1]["step"]!.GetValue<int>());
        var steps = progress.Select(e => e["step"]!.GetValue<int>()).ToList();
        Assert.Equal(steps.Order(), steps);

        var render = events[^1]["state"]!["render"]!;
        Assert.True(render["uneditedPsnrDb"]!.GetValue<double>() >= 30, $"unedited PSNR {render["uneditedPsnrDb"]} dB");
        Assert.False(render["stale"]!.GetValue<bool>());
        // The painted concept's measurement is passed on: trees where trees were painted.
        var share = Assert.Single(render["conceptShares"]!.AsArray())!;
        Assert.Equal("tree", share["concept"]!.GetValue<string>());
        Assert.True(share["after"]!.GetValue<double>() > share["before"]!.GetValue<double>() + 0.3, share.ToJsonString());

        using var rendered = Pixels.Decode(await Client.GetByteArrayAsync($"/api/sessions/{session}/render.png"));
        Assert.Equal(Resolution, rendered.Width);

        var stale = await Client.Stroke(session, new { action = "add", concept = "grass", mask = Masks.Encode(Masks.ScaledRectangle(40, 40, 50, 50, Resolution)) });
        Assert.True(stale["render"]!["stale"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_full_size_composite_is_the_photo_at_its_own_size_with_only_the_edited_region_from_the_render()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "sample/church");
        await Client.Stroke(session, AddTree());
        var done = (await Client.Stream($"/api/sessions/{session}/render"))[^1];
        Assert.Equal("done", done["type"]!.GetValue<string>());

        using var response = await Client.GetAsync($"/api/sessions/{session}/render-full.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var composite = Pixels.Decode(await response.Content.ReadAsByteArrayAsync());
        using var photo = Image.Load<Rgb24>(SamplePath("church.jpg"));
        Assert.Equal((photo.Width, photo.Height), (composite.Width, composite.Height));

        // The canvas is the photo as the studio fits it (the loader's default fit: scaled and centre-cropped; at 64²,
        // canvas x = photo x / 4 - 8), so the stroke's canvas rectangle maps to the photo through that geometry. Inside is
        // the stroke less 2 canvas px (at 64²) of soft edge: photo x 56–120, y 40–104. Everything right of canvas x 57
        // (at 64², 33 px right of the stroke's x < 24), photo x 260, is far beyond the region's growth and blur.
        var fit = ImageFit.Compute(new Size(photo.Width, photo.Height), Resolution, new ImageLoadOptions().FitMode);
        var (left, top) = OnPhoto(fit, Pixels.Scaled(4 + 2, Resolution), Pixels.Scaled(8 + 2, Resolution));
        var (right, bottom) = OnPhoto(fit, Pixels.Scaled(24 - 2, Resolution), Pixels.Scaled(28 - 2, Resolution));
        var far = OnPhoto(fit, Pixels.Scaled(57, Resolution), 0).X;
        var changedInside = 0;
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                if (x >= far)
                {
                    Assert.Equal(photo[x, y], composite[x, y]);
                }
                else if (x >= left && x < right && y >= top && y < bottom && !photo[x, y].Equals(composite[x, y]))
                {
                    changedInside++;
                }
            }
        }

        Assert.True(changedInside > (right - left) * (bottom - top) / 2,
            $"{changedInside} pixels changed inside the stroke (photo x {left}–{right}, y {top}–{bottom})");
    }

    [Fact]
    public async Task A_render_is_cancelled_by_its_own_session()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "seed/7");
        await Client.Stroke(session, AddTree());
        JsonObject? cancelAnswer = null;
        var events = await Client.Stream($"/api/sessions/{session}/render", onEvent: async e =>
        {
            if (cancelAnswer is null && e["type"]!.GetValue<string>() == "progress")
            {
                cancelAnswer = await Client.Post($"/api/sessions/{session}/cancel");
            }
        });

        Assert.Equal("render", cancelAnswer!["cancelled"]!.GetValue<string>());
        Assert.Equal("cancelled", events[^1]["type"]!.GetValue<string>());
        Assert.True(events.Count(e => e["type"]!.GetValue<string>() == "progress") < 15, "the render ran on after its cancel");
        var state = JsonNode.Parse(await Client.GetStringAsync($"/api/sessions/{session}"))!;
        Assert.Null(state["render"]);
        Assert.Null(state["busy"]);

        // The session goes on: the same render runs to the end when asked again.
        Assert.Equal("done", (await Client.Stream($"/api/sessions/{session}/render"))[^1]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_session_cannot_cancel_a_render_nor_start_a_second_job_in_a_busy_session()
    {
        var owner = await Client.NewSession();
        var other = await Client.NewSession();
        await Client.Open(owner, "seed/8");
        await Client.Open(other, "seed/9");
        await Client.Stroke(owner, AddTree());
        HttpStatusCode? otherCancel = null, secondJob = null;
        string? busy = null;
        var events = await Client.Stream($"/api/sessions/{owner}/render", onEvent: async e =>
        {
            if (otherCancel is null && e["type"]!.GetValue<string>() == "progress")
            {
                using var cancel = await Client.PostAsync($"/api/sessions/{other}/cancel", null);
                otherCancel = cancel.StatusCode;
                using var second = await Client.PostAsync($"/api/sessions/{owner}/open/seed/1", null);
                secondJob = second.StatusCode;
                busy = (await Json(second))["error"]!.GetValue<string>();
            }
        });

        Assert.Equal(HttpStatusCode.Conflict, otherCancel);
        Assert.Equal(HttpStatusCode.Conflict, secondJob);
        Assert.Contains("busy", busy, StringComparison.Ordinal);
        Assert.Equal("done", events[^1]["type"]!.GetValue<string>());
        Assert.Equal(150, events.Last(e => e["type"]!.GetValue<string>() == "progress")["step"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_render_of_strokes_that_cover_the_whole_canvas_ends_in_a_clear_refusal()
    {
        var session = await Client.NewSession();
        await Client.Open(session, "seed/8");
        await Client.Stroke(session, new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(0, 0, 64, 64, Resolution)) });

        var outcome = (await Client.Stream($"/api/sessions/{session}/render"))[^1];

        Assert.Equal("error", outcome["type"]!.GetValue<string>());
        Assert.Equal(400, outcome["status"]!.GetValue<int>());
        Assert.Contains("covers the whole image", outcome["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>The photo pixel at canvas corner (x, y): where <paramref name="fit"/> places the scaled photo.</summary>
    private static (int X, int Y) OnPhoto(ImageFit fit, int x, int y) =>
        ((int)Math.Round((x - fit.Placement.X) * (double)fit.OriginalSize.Width / fit.Placement.Width),
         (int)Math.Round((y - fit.Placement.Y) * (double)fit.OriginalSize.Height / fit.Placement.Height));
}

using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using SemanticManipulation.Studio.Worker;
using TorchSharp;

namespace SemanticManipulation.Studio.Tests;

/// <summary>
/// The test process's memory at one moment (the studio runs in it): resident set, native heap in use, managed heap,
/// and the tensors alive on the studio's tensor worker.
/// </summary>
/// <param name="Resident">VmRSS from /proc/self/status: what the operating system counts against the process.</param>
/// <param name="NativeInUse">glibc's allocated bytes (mallinfo2: <c>uordblks + hblkhd</c>), where TorchSharp's tensors
/// live; unlike <paramref name="Resident"/> it drops when memory is freed but kept by the allocator. -1 without glibc.</param>
/// <param name="Managed">GC.GetTotalMemory after a full collection.</param>
/// <param name="LiveTensors">TorchSharp's count of tensors created and not yet disposed on the worker thread.</param>
internal sealed record ProcessMemory(long Resident, long NativeInUse, long Managed, long LiveTensors)
{
    /// <summary>Where the resident set lives (<see cref="ReadBreakdown"/>), in MiB.</summary>
    public string Breakdown { get; init; } = "";

    /// <summary>Measures after a full, compacting collection (and its finalizers) so that the managed heap's garbage and
    /// tensors waiting for a finalizer are not counted as held. The tensor count is read on the worker, after every job
    /// queued before it (an evicted session's release included).</summary>
    public static async Task<ProcessMemory> Measure(TensorWorker worker)
    {
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var live = await worker.Run(() => DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        return new ProcessMemory(ResidentBytes(), NativeBytesInUse(), GC.GetTotalMemory(forceFullCollection: false), live) { Breakdown = ReadBreakdown() };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RSS {Mib(Resident)} MiB, native in use {Mib(NativeInUse)} MiB, managed {Mib(Managed)} MiB, {LiveTensors} live tensors ({Breakdown})");

    /// <summary>Where the resident set lives, for a failure message to say what grew: glibc's heap (its arenas, the part in
    /// use and the free blocks it keeps), the GC's committed memory, and the resident MiB of each kind of mapping
    /// (anonymous or file-backed, by permissions; JIT code is in the executable and shared ones).</summary>
    private static string ReadBreakdown()
    {
        var residentKb = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var mapping = "";
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's header ("start-end perms offset dev inode [path]") is followed by its "Key: value kB" lines.
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                mapping = (fields.Length > 5 && fields[5].StartsWith('/') ? "file " : "anon ") + fields[1];
            }
            else if (fields is ["Rss:", var kb, ..])
            {
                residentKb[mapping] = residentKb.GetValueOrDefault(mapping) + long.Parse(kb, CultureInfo.InvariantCulture);
            }
        }

        var heap = "glibc heap -";
        try
        {
            var info = MallInfo2();
            heap = $"glibc heap {Mib((long)(info.Arena + info.Hblkhd))} (free {Mib((long)info.Fordblks)})";
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
        }

        var maps = string.Join(", ", residentKb.Where(m => m.Value >= 1024).Select(m => $"{m.Key} {m.Value / 1024}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{heap}, GC committed {Mib(GC.GetGCMemoryInfo().TotalCommittedBytes)}; resident by mapping: {maps}");
    }

    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>VmRSS after glibc's <c>malloc_trim(0)</c> has returned the free pages it kept (inside its arenas too):
    /// what the resident set would be without the allocator's retention. Trimming changes the process, so only a test
    /// that compares two trimmed numbers should call it.</summary>
    public static long TrimmedResident()
    {
        _ = MallocTrim(0);
        return ResidentBytes();
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:    123456 kB"
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS line.");
    }

    private static long NativeBytesInUse()
    {
        try
        {
            var info = MallInfo2();
            return (long)(info.Uordblks + info.Hblkhd);
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
        catch (DllNotFoundException)
        {
            return -1;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo MallInfo2();

    /// <summary>glibc's <c>struct mallinfo2</c> (every field a size_t).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}

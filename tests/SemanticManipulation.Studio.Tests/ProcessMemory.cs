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
        return new ProcessMemory(ResidentBytes(), NativeBytesInUse(), GC.GetTotalMemory(forceFullCollection: false), live);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RSS {Mib(Resident)} MiB, native in use {Mib(NativeInUse)} MiB, managed {Mib(Managed)} MiB, {LiveTensors} live tensors");

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

using System.Runtime.InteropServices;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Makes glibc's allocator keep the blocks libtorch frees for reuse instead of handing them back to the kernel, so a
/// fitting loop that allocates the same tensors every step stops paying a page fault for every page of every new one.
/// </summary>
/// <remarks>
/// <para>By default glibc serves blocks from 128 KB up (a threshold that grows with what was freed) with fresh
/// <c>mmap</c>s and returns them with <c>munmap</c>; whatever heap memory is freed above the trim threshold is returned
/// too. libtorch allocates every activation, gradient and oneDNN reorder buffer anew, so each step then touches
/// megabytes of new pages that the kernel must fault in and zero. On the virtual machines this SDK is measured on a fault
/// is slow: a 32-channel 256² convolution took 57–77 ms on one core with fresh pages and 7 ms with reused ones, a free-δ
/// adaptation step at 256² 295 ms against 129 ms, an R step 522 against 272.</para>
/// <para>Fixing the mmap threshold at glibc's maximum (32 MB, above any single activation of the 256² models) and the trim
/// threshold at 2 GB keeps freed blocks in the process. The process's resident memory then stays near its peak instead
/// of falling between steps. This is process-wide; hosts that tune glibc's allocator themselves (the
/// <c>MALLOC_*_</c> or <c>GLIBC_TUNABLES</c> variables) are left alone, and <see cref="OptOutVariable"/> turns it off.</para>
/// </remarks>
internal static class NativeHeapRetention
{
    /// <summary>Set to <c>0</c> or <c>false</c> to leave glibc's allocator at its defaults.</summary>
    public const string OptOutVariable = "SEMANTIC_MANIPULATION_RETAIN_NATIVE_HEAP";

    // mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    // glibc's ceiling for M_MMAP_THRESHOLD on 64-bit hosts (DEFAULT_MMAP_THRESHOLD_MAX); mallopt refuses more.
    private const int MmapThresholdBytes = 32 * 1024 * 1024;
    private const int TrimThresholdBytes = int.MaxValue;

    /// <summary>Applies the setting once, when this host's allocator is glibc's; returns what happened, for the runtime's log.</summary>
    public static unsafe string Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "native heap: platform allocator unchanged";
        }

        if (Environment.GetEnvironmentVariable(OptOutVariable) is "0" or "false" or "False" or "FALSE")
        {
            return $"native heap: glibc allocator left at its defaults ({OptOutVariable})";
        }

        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is { Length: > 0 })
        {
            return "native heap: the host tunes glibc's allocator itself; left as it is";
        }

        // Not glibc (musl has no mallopt): nothing to tune.
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return "native heap: no glibc mallopt; allocator unchanged";
        }

        var mallopt = (delegate* unmanaged<int, int, int>)address;
        var applied = mallopt(MmapThreshold, MmapThresholdBytes) == 1 & mallopt(TrimThreshold, TrimThresholdBytes) == 1;
        return applied
            ? "native heap: glibc keeps freed blocks for reuse (mmap threshold 32 MB, trim threshold 2 GB)"
            : "native heap: glibc refused the thresholds; allocator unchanged";
    }
}

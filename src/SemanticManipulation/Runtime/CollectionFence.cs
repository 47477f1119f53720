using System.Runtime;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Holds garbage collections off while a loop of tensor steps runs, and lets them happen between steps.
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107 makes a temporary <see cref="TorchSharp.Scalar"/> for many operands it is given as numbers,
/// even for <c>a + b</c> (its <c>alpha = 1</c>), and nothing references it while libtorch reads it. A collection started
/// on another thread during that native call (by the host's threads, a logger, the finalizer) can free it mid-call:
/// random "Unknown scalar type" or "Expected false to be true" errors, every few hundred steps of a long fit or
/// training run. The SDK holds its own hot-path scalars (<see cref="HeldScalars"/>, <see cref="Optimization.HeldScalarAdam"/>),
/// but TorchSharp's operators cannot be changed from outside, so loops also fence collections off: a no-GC region
/// (<see cref="GC.TryStartNoGCRegion(long)"/>) with an allocation budget, re-armed at <see cref="Checkpoint"/> (between
/// steps, where no native call is in flight) once half of it is spent. A collection then runs only there.</para>
/// <para>The region is process-wide, so one loop at a time holds the fence; a loop that finds it held (another thread's
/// loop, or a host's own no-GC region) runs unfenced, as it would without this class. An explicit <see cref="GC.Collect()"/>
/// or a burst of allocation on other threads ends the region early; the next checkpoint fences again. Re-arming collects
/// the whole heap, so in a process whose other threads keep ending the region within a few steps (a busy host) the fence
/// stands down for the rest of the loop rather than force a full collection every few steps.</para>
/// </remarks>
internal sealed class CollectionFence : IDisposable
{
    // Enough for hundreds of steps of managed garbage (tensor wrappers): a GAN step allocates well under 1 MB.
    private const long Budget = 64L * 1024 * 1024;

    // A region that collections end within fewer steps than this is short-lived; this many in a row and the fence stands down.
    private const int ShortRegionSteps = 16;
    private const int ShortRegionsToStandDown = 3;
    private static int _held;
    private readonly bool _owner;
    private bool _armed;
    private long _armedAt;
    private int _stepsSinceArm;
    private int _shortRegions;
    private bool _disposed;

    private CollectionFence(bool owner)
    {
        _owner = owner;
        Arm();
    }

    /// <summary>Fences collections off for the calling loop, if no other loop in the process holds the fence.</summary>
    public static CollectionFence Enter() => new(Interlocked.CompareExchange(ref _held, 1, 0) == 0);

    /// <summary>True while this loop's no-GC region is in force.</summary>
    public bool Active => _armed && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <summary>Call between steps: when half the budget is spent (or a collection ended the region), lets the
    /// collection run now and fences again.</summary>
    public void Checkpoint()
    {
        if (!_owner || _disposed || _shortRegions >= ShortRegionsToStandDown)
        {
            return;
        }

        _stepsSinceArm++;
        if (Active)
        {
            if (GC.GetTotalAllocatedBytes() - _armedAt < Budget / 2)
            {
                return;
            }
        }
        else if (_armed)
        {
            // A collection ended the region before this loop spent its budget.
            _shortRegions = _stepsSinceArm < ShortRegionSteps ? _shortRegions + 1 : 0;
            if (_shortRegions >= ShortRegionsToStandDown)
            {
                _armed = false;
                return;
            }
        }

        Disarm();
        Arm();
    }

    /// <summary>Ends the region (if it is still in force) and releases the fence.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_owner)
        {
            Disarm();
            Volatile.Write(ref _held, 0);
        }
    }

    private void Arm()
    {
        if (!_owner)
        {
            return;
        }

        try
        {
            // Starting the region collects first: here, between steps, that is safe.
            _armed = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            // The host is in a no-GC region of its own: leave it alone and run unfenced.
            _armed = false;
        }

        _armedAt = GC.GetTotalAllocatedBytes();
        _stepsSinceArm = 0;
    }

    private void Disarm()
    {
        if (Active)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // A collection ended the region in the meantime: nothing left to end.
            }
        }

        _armed = false;
    }
}

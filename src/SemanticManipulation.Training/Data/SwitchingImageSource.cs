using static TorchSharp.torch;

namespace SemanticManipulation.Training.Data;

/// <summary>
/// Real images from one source up to an iteration and from another after it: a run can finish on a reweighted
/// distribution (say, more of a mode its generator draws too rarely) and still resume exactly, since which source an
/// iteration reads depends on the iteration alone.
/// </summary>
public sealed class SwitchingImageSource : ITrainingImageSource
{
    private readonly ITrainingImageSource _first;
    private readonly ITrainingImageSource _then;
    private readonly long _switchIteration;

    /// <summary>Reads <paramref name="first"/> for iterations before <paramref name="switchIteration"/> and
    /// <paramref name="then"/> from it on.</summary>
    /// <exception cref="ArgumentException">The two sources' resolutions differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="switchIteration"/> is negative.</exception>
    public SwitchingImageSource(ITrainingImageSource first, ITrainingImageSource then, long switchIteration)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(then);
        ArgumentOutOfRangeException.ThrowIfNegative(switchIteration);
        if (first.Resolution != then.Resolution)
        {
            throw new ArgumentException($"Both sources must give images of one size; the first gives {first.Resolution}², the second {then.Resolution}².", nameof(then));
        }

        (_first, _then, _switchIteration) = (first, then, switchIteration);
    }

    /// <inheritdoc />
    public int Resolution => _first.Resolution;

    /// <inheritdoc />
    public string Description => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{_first.Description}, then from iteration {_switchIteration}: {_then.Description}");

    /// <inheritdoc />
    public Tensor Batch(long iteration, int count) => (iteration < _switchIteration ? _first : _then).Batch(iteration, count);
}

using SemanticManipulation.Checkpoints;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Imaging;

/// <summary>
/// A photo on a model's S×S canvas, checked once when it is made: float32 <c>[1, 3, S, S]</c>, RGB, finite, values in
/// [-1, 1]. Inversion, editing and adaptation take it as it is, so a bad photo is refused at the door with its reason and
/// never half-way through a fit. <see cref="ImageTensor.Load(string, int)"/> makes one (<see cref="LoadedImage.Photo"/>);
/// <see cref="From"/> checks a tensor from elsewhere.
/// </summary>
public sealed class ModelPhoto : IDisposable
{
    // Resampling and colour conversions can overshoot [-1, 1] by a rounding error; anything beyond this is a wrong scale.
    private const float RangeTolerance = 1e-3f;

    private ModelPhoto(Tensor tensor)
    {
        Tensor = tensor;
        Resolution = (int)tensor.shape[3];
    }

    /// <summary>The photo, float32 <c>[1, 3, S, S]</c> in [-1, 1]. Owned by this instance: dispose the instance, not the
    /// tensor, and do not modify it.</summary>
    public Tensor Tensor { get; }

    /// <summary>The canvas side S, in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Device the photo is on.</summary>
    public Device Device => Tensor.device;

    /// <summary>Checks a photo tensor for a model of side <paramref name="resolution"/> and copies it.</summary>
    /// <param name="photo">The photo, <c>[1, 3, S, S]</c>, floating point, values in [-1, 1] (byte b ↦ b / 127.5 − 1);
    /// not modified, and not needed afterwards.</param>
    /// <param name="resolution">The model's resolution S.</param>
    /// <returns>A float32 copy on the photo's device, clamped to [-1, 1], that the caller owns.</returns>
    /// <exception cref="ArgumentException">The shape, type or values are not a photo's; the message says which and how to
    /// fix it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resolution"/> is not a valid model resolution.</exception>
    public static ModelPhoto From(Tensor photo, int resolution)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ImageTensor.ThrowIfInvalidResolution(resolution);
        TorchRuntime.EnsureInitialized();
        if (!photo.shape.SequenceEqual([1L, 3, resolution, resolution]))
        {
            throw new ArgumentException(
                $"The photo must have shape [1, 3, {resolution}, {resolution}] (the model's resolution); got " +
                $"{ImageTensor.FormatShape(photo.shape)}. Load it with ImageTensor.Load(path, {resolution}) to fit it.", nameof(photo));
        }

        if (!ImageTensor.IsFloatingPoint(photo.dtype))
        {
            throw new ArgumentException($"The photo must hold floating-point values in [-1, 1]; got {photo.dtype}.", nameof(photo));
        }

        using var scope = NewDisposeScope();
        var values = photo.detach().to(ScalarType.Float32);
        if (StateDictCopier.NonFinite(values) is { } problem)
        {
            throw new ArgumentException($"The photo holds {problem}; it must be finite.", nameof(photo));
        }

        var min = values.min().item<float>();
        var max = values.max().item<float>();
        if (min < -1 - RangeTolerance || max > 1 + RangeTolerance)
        {
            throw new ArgumentException(
                $"The photo's values must lie in [-1, 1]; they span [{min}, {max}]. Map bytes b to b / 127.5 − 1.", nameof(photo));
        }

        return new ModelPhoto(values.clamp(-1, 1).contiguous().DetachFromDisposeScope());
    }

    /// <summary>A copy on <paramref name="device"/>; nothing is checked again.</summary>
    /// <param name="device">Where the copy lives.</param>
    /// <returns>A new photo the caller owns.</returns>
    public ModelPhoto To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new ModelPhoto(Tensor.to(device).clone().DetachFromDisposeScope());
    }

    /// <summary>A copy on the same device; nothing is checked again.</summary>
    /// <returns>A new photo the caller owns.</returns>
    public ModelPhoto Clone() => new(Tensor.clone().DetachFromDisposeScope());

    /// <summary>Releases the tensor.</summary>
    public void Dispose() => Tensor.Dispose();

    /// <summary>Wraps a tensor the SDK itself made as a photo (decoded bytes, a clamped generator output): it is known to
    /// satisfy the invariants, so it is not checked. Takes ownership.</summary>
    internal static ModelPhoto Own(Tensor photo) => new(photo.DetachFromDisposeScope());

    /// <summary>Refuses the photo for a model of another resolution, saying how to load it for this one.</summary>
    internal void ThrowIfNotResolution(int resolution)
    {
        if (Resolution != resolution)
        {
            throw new ArgumentException(
                $"The photo is {Resolution}×{Resolution} pixels but the model's resolution is {resolution}×{resolution}; " +
                $"load it with ImageTensor.Load(path, {resolution}).");
        }
    }
}

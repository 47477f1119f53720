using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>The short way to invert a photo tensor with any <see cref="IImageInverter"/>.</summary>
public static class ImageInverterExtensions
{
    /// <summary>Checks <paramref name="photo"/> for the generator (<see cref="ModelPhoto.From"/>) and inverts it.</summary>
    /// <param name="inverter">The inverter.</param>
    /// <param name="generator">The generator; its weights are not changed.</param>
    /// <param name="photo">The photo, <c>[1, 3, R, R]</c> in [-1, 1] at the generator's resolution; not modified.</param>
    /// <param name="options">Inversion options; null for the defaults.</param>
    /// <param name="progress">Receives a report every <see cref="InversionOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Cancels the inversion; nothing is returned and nothing leaks.</param>
    /// <returns>r*, the latent when known, the reconstruction and its metrics; owned by the caller.</returns>
    /// <exception cref="ArgumentException">The photo has the wrong shape, holds NaN/∞ or values outside [-1, 1].</exception>
    public static InversionResult Invert(
        this IImageInverter inverter,
        ILayerSplitGenerator generator,
        Tensor photo,
        InversionOptions? options = null,
        IProgress<InversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inverter);
        ArgumentNullException.ThrowIfNull(generator);
        using var checkedPhoto = ModelPhoto.From(photo, generator.Resolution);
        return inverter.Invert(generator, checkedPhoto, options, progress, cancellationToken);
    }
}

using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// Inversion (the paper's section 3.2): finds a representation r* at the generator's split layer such that G_F(r*)
/// reproduces a photo as closely as the generator can: a first guess (an encoder's, or the generator's mean features),
/// then a short per-image optimisation. Edits are made on r*.
/// </summary>
public interface IImageInverter
{
    /// <summary>Inverts <paramref name="photo"/> into <paramref name="generator"/>.</summary>
    /// <param name="generator">The generator; its weights are not changed.</param>
    /// <param name="photo">The photo at the generator's resolution (checked when it was made).</param>
    /// <param name="options">Inversion options; null for the defaults.</param>
    /// <param name="progress">Receives a report every <see cref="InversionOptions.ProgressInterval"/> steps.</param>
    /// <param name="cancellationToken">Checked before every step; cancellation frees everything and returns nothing.</param>
    /// <returns>r* <c>[1, C, H, W]</c>, the latent when known, the reconstruction and its metrics; owned by the caller.</returns>
    /// <exception cref="ArgumentException">The photo is not at the generator's resolution.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (e.g. steps ≤ 0).</exception>
    /// <exception cref="OperationCanceledException">The inversion was cancelled.</exception>
    InversionResult Invert(
        ILayerSplitGenerator generator,
        ModelPhoto photo,
        InversionOptions? options = null,
        IProgress<InversionProgress>? progress = null,
        CancellationToken cancellationToken = default);
}

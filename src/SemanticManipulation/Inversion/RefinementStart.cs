using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The starting point of refinement: the latent G_H is run on, and optionally an early layer whose output is replaced
/// by a given tensor (the mean features at the first layer, or an encoder's r̂ at the split layer).
/// </summary>
/// <param name="Kind">Which start this is, for the metrics.</param>
/// <param name="Latent">The latent <c>[1, Z]</c> fed to G_H.</param>
/// <param name="LatentIsGuess">Whether the latent is a real guess (returned with the result) or a placeholder.</param>
/// <param name="ReplacedLayer">The early layer whose output is replaced, or null.</param>
/// <param name="ReplacedOutput">What replaces it, <c>[1, C, H, W]</c>.</param>
internal sealed record RefinementStart(InversionStart Kind, Tensor Latent, bool LatentIsGuess, string? ReplacedLayer, Tensor? ReplacedOutput);

using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// A starting point of refinement: the latent G_H is run on, and optionally an early layer whose output is replaced
/// by a given tensor (a representation guess at the split layer).
/// </summary>
/// <param name="Kind">Where the guess came from (the encoder, or the mean).</param>
/// <param name="Guess">Whether it is a latent or a representation.</param>
/// <param name="Latent">The latent <c>[1, Z]</c> fed to G_H (a placeholder for representation guesses).</param>
/// <param name="ReplacedLayer">The early layer whose output is replaced, or null.</param>
/// <param name="ReplacedOutput">What replaces it, <c>[1, C, H, W]</c>.</param>
internal sealed record RefinementStart(InversionStart Kind, StartGuess Guess, Tensor Latent, string? ReplacedLayer, Tensor? ReplacedOutput);

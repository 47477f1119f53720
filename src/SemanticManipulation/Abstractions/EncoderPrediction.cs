using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>An encoder's guesses for a batch of images. Owns its tensors: dispose it (or detach what you keep).</summary>
public sealed class EncoderPrediction : IDisposable
{
    /// <summary>Wraps the guesses; the prediction takes ownership of both tensors.</summary>
    /// <param name="representation">r̂ <c>[N, C, H, W]</c>.</param>
    /// <param name="latent">ẑ <c>[N, Z]</c>, or null when the encoder predicts only r.</param>
    public EncoderPrediction(Tensor representation, Tensor? latent)
    {
        ArgumentNullException.ThrowIfNull(representation);
        Representation = representation;
        Latent = latent;
    }

    /// <summary>r̂: the predicted representation at the split layer, <c>[N, C, H, W]</c>.</summary>
    public Tensor Representation { get; }

    /// <summary>ẑ: a latent whose G_H approximates the image's representation, <c>[N, Z]</c>; null if not predicted.</summary>
    public Tensor? Latent { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Representation.Dispose();
        Latent?.Dispose();
    }
}

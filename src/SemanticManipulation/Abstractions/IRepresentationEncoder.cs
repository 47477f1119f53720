using static TorchSharp.torch;

namespace SemanticManipulation;

/// <summary>
/// The encoder E: a first guess of an image's representation r at the generator's split layer, and, when the
/// encoder can, of a latent z that G_H maps close to it. Inversion refines the guess per image.
/// </summary>
/// <remarks>
/// An encoder is made for one generator: its <see cref="Resolution"/>, <see cref="RepresentationShape"/> and
/// <see cref="LatentSize"/> must match the generator's. It runs in inference mode (BatchNorm uses its running
/// statistics). Keep calls on one thread.
/// </remarks>
public interface IRepresentationEncoder : IDisposable
{
    /// <summary>Side of the square images it encodes.</summary>
    int Resolution { get; }

    /// <summary>The shape of r it predicts for one image (the generator's <see cref="ILayerSplitGenerator.RepresentationShape"/>).</summary>
    FeatureShape RepresentationShape { get; }

    /// <summary>Length of the latent it predicts; 0 when it predicts only r.</summary>
    int LatentSize { get; }

    /// <summary>The device its weights live on.</summary>
    Device Device { get; }

    /// <summary>Encodes images <c>[N, 3, Resolution, Resolution]</c> in [-1, 1]. No gradients are recorded.</summary>
    /// <returns>The guesses, owned by the caller.</returns>
    EncoderPrediction Encode(Tensor images);
}

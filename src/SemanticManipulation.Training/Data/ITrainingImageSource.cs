using static TorchSharp.torch;

namespace SemanticManipulation.Training.Data;

/// <summary>
/// Real images to train on, deterministic by step so that a resumed run sees the same data as an uninterrupted one.
/// The scene world is one source; a host training for its own domain supplies its own.
/// </summary>
public interface ITrainingImageSource
{
    /// <summary>Side of the square images.</summary>
    int Resolution { get; }

    /// <summary>The images for training iteration <paramref name="iteration"/>: <c>[count, 3, R, R]</c> in [-1, 1], on the CPU.</summary>
    Tensor Batch(long iteration, int count);

    /// <summary>What the images are, in one line: recorded with a generator trained on them, so that its provenance says
    /// what it learned from and a later run can tell that its data differ. The default is the source's type name.</summary>
    string Description => GetType().Name;
}

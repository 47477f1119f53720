using SemanticManipulation.Adaptation;
using static TorchSharp.torch;

namespace SemanticManipulation.Pipeline;

/// <summary>A rendered edit: the image, the fitted G' that made it (reusable for more edits of the photo), and how it
/// went.</summary>
public sealed class SemanticEditResult : IDisposable
{
    internal SemanticEditResult(Tensor image, AdaptedGenerator adapted, EditMetrics metrics)
    {
        Image = image;
        Adapted = adapted;
        Metrics = metrics;
    }

    /// <summary>The edited photo, <c>[1, 3, R, R]</c> in [-1, 1].</summary>
    public Tensor Image { get; }

    /// <summary>The image-specific generator the render came from (owned by this result).</summary>
    public AdaptedGenerator Adapted { get; }

    /// <summary>How faithful the result is outside the edit, what the edit changed, and what it cost.</summary>
    public EditMetrics Metrics { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Adapted.Dispose();
    }
}

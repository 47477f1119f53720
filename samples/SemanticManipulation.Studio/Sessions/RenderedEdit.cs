using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>A finished render of a session: the SDK's result (image and fitted G') and its PNG. Touched on the tensor
/// worker only.</summary>
internal sealed class RenderedEdit : IDisposable
{
    public RenderedEdit(SemanticEditResult result, byte[] png, int strokeVersion, long tensorBytes)
    {
        Result = result;
        Png = png;
        StrokeVersion = strokeVersion;
        TensorBytes = tensorBytes;
    }

    /// <summary>The rendered image, its G' and its metrics.</summary>
    public SemanticEditResult Result { get; }

    /// <summary>The rendered image at the model's resolution, as PNG.</summary>
    public byte[] Png { get; }

    /// <summary>The session's stroke version the render was made for (it is stale once the strokes change).</summary>
    public int StrokeVersion { get; }

    /// <summary>The estimated tensor memory of the result (image, G''s perturbation and its inputs).</summary>
    public long TensorBytes { get; }

    public void Dispose() => Result.Dispose();
}

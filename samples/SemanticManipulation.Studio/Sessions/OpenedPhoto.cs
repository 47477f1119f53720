using SemanticManipulation.Imaging;
using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>
/// The photo a session edits: the SDK's <see cref="PhotoEdit"/> (representation, strokes, preview G'), and what the
/// page and the full-size composite need beside it. Touched on the tensor worker only.
/// </summary>
internal sealed class OpenedPhoto : IDisposable
{
    public OpenedPhoto(PhotoEdit edit, string source, byte[] original, ImageFit fit, byte[] photoPng, long tensorBytes)
    {
        Edit = edit;
        Source = source;
        Original = original;
        Fit = fit;
        PhotoPng = photoPng;
        TensorBytes = tensorBytes;
    }

    /// <summary>The edit: r, the strokes, the preview G'.</summary>
    public PhotoEdit Edit { get; }

    /// <summary>What was opened, for the page: <c>upload</c>, <c>sample:ID</c> or <c>seed:N</c>.</summary>
    public string Source { get; }

    /// <summary>The photo as it came (encoded), decoded again only to make the full-size composite.</summary>
    public byte[] Original { get; }

    /// <summary>How the photo was fitted to the model's canvas.</summary>
    public ImageFit Fit { get; }

    /// <summary>The photo at the model's resolution, as PNG (the "before" of the page).</summary>
    public byte[] PhotoPng { get; }

    /// <summary>The estimated tensor memory of the edit (photo, r, preview G').</summary>
    public long TensorBytes { get; }

    public void Dispose() => Edit.Dispose();
}

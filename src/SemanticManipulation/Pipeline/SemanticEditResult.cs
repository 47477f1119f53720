using SemanticManipulation.Adaptation;
using static TorchSharp.torch;

namespace SemanticManipulation.Pipeline;

/// <summary>A rendered edit: the image, the fitted G' that made it (reusable for more edits of the photo), and how
/// faithful it is outside the edit.</summary>
public sealed class SemanticEditResult : IDisposable
{
    internal SemanticEditResult(Tensor image, AdaptedGenerator adapted, double uneditedPsnrDb, double maskFraction)
    {
        Image = image;
        Adapted = adapted;
        UneditedPsnrDb = uneditedPsnrDb;
        MaskFraction = maskFraction;
    }

    /// <summary>The edited photo, <c>[1, 3, R, R]</c> in [-1, 1].</summary>
    public Tensor Image { get; }

    /// <summary>The image-specific generator the render came from (owned by this result).</summary>
    public AdaptedGenerator Adapted { get; }

    /// <summary>PSNR of the result against the photo on the unedited pixels (the keep mask), in dB.</summary>
    public double UneditedPsnrDb { get; }

    /// <summary>Fraction of the image inside the edit mask.</summary>
    public double MaskFraction { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Adapted.Dispose();
    }
}

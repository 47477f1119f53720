using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// The image whose appearance a restyle copies, given as a file, an image tensor, or its representation r_ref
/// already computed; optionally with the region of it to copy from.
/// </summary>
public sealed class ReferenceImage
{
    private ReferenceImage(string? path, Tensor? image, Tensor? representation, Tensor? region)
    {
        Path = path;
        Image = image;
        Representation = representation;
        Region = region;
    }

    /// <summary>The image file, when given as one.</summary>
    public string? Path { get; }

    /// <summary>The image, <c>[1, 3, S, S]</c> in [-1, 1], when given as a tensor.</summary>
    public Tensor? Image { get; }

    /// <summary>Its representation at the split layer, <c>[1, C, H, W]</c>, when already known.</summary>
    public Tensor? Representation { get; }

    /// <summary>The region to copy the appearance from, <c>[1, 1, S, S]</c> in [0, 1]; null for the whole image.</summary>
    public Tensor? Region { get; }

    /// <summary>A reference image file (any common format; fitted to the model like a photo).</summary>
    /// <param name="path">The file.</param>
    /// <param name="region">The region to copy from, at the model's resolution; null for the whole image.</param>
    public static ReferenceImage FromFile(string path, Tensor? region = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ReferenceImage(path, null, null, region);
    }

    /// <summary>A reference image tensor, <c>[1, 3, S, S]</c> in [-1, 1] (not copied: keep it alive while editing).</summary>
    /// <param name="image">The image.</param>
    /// <param name="region">The region to copy from; null for the whole image.</param>
    public static ReferenceImage FromImage(Tensor image, Tensor? region = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ReferenceImage(null, image, null, region);
    }

    /// <summary>A reference already inverted: its representation <c>[1, C, H, W]</c> (not copied).</summary>
    /// <param name="representation">r_ref.</param>
    /// <param name="region">The region to copy from, at image resolution; null for the whole image.</param>
    public static ReferenceImage FromRepresentation(Tensor representation, Tensor? region = null)
    {
        ArgumentNullException.ThrowIfNull(representation);
        return new ReferenceImage(null, null, representation, region);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Path is not null ? $"reference image '{Path}'" : Image is not null ? "reference image tensor" : "reference representation";
}

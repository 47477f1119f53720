using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

/// <summary>
/// A real, deterministic segmenter for the planted generator's concepts: a pixel is <c>red</c> when its red channel
/// clearly dominates, <c>blue</c> when its blue channel does. Images in [-1, 1].
/// </summary>
internal sealed class ColorThresholdSegmenter : ISegmenter
{
    public const string Red = "red";
    public const string Blue = "blue";

    /// <summary>How far the dominant channel must exceed the others (in [-1, 1] units).</summary>
    private const float Margin = 0.6f;

    public IReadOnlyList<string> Labels { get; } = [Red, Blue];

    public Tensor Segment(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var r = images[TensorIndex.Colon, 0];
        var g = images[TensorIndex.Colon, 1];
        var b = images[TensorIndex.Colon, 2];
        var red = (r > 0.2f) & (r - g > Margin) & (r - b > Margin);
        var blue = (b > 0.2f) & (b - r > Margin) & (b - g > Margin);
        return stack([red, blue], 1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of <paramref name="mask"/>'s pixels (of one image) where <paramref name="label"/> is present.</summary>
    public double Fraction(Tensor image, string label, Tensor? mask = null)
    {
        using var scope = NewDisposeScope();
        var present = Segment(image)[0, Labels.ToList().IndexOf(label)];
        var region = mask is null ? ones_like(present) : mask.reshape(present.shape);
        return (present * region).sum().item<float>() / (double)region.sum().item<float>();
    }

    public void Dispose()
    {
    }
}

using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Training.World;

/// <summary>One rendered scene: RGB bytes and a label map of the same size.</summary>
public sealed class SceneSample
{
    internal SceneSample(long seed, int size, byte[] rgb, byte[] labels)
    {
        Seed = seed;
        Size = size;
        Rgb = rgb;
        Labels = labels;
    }

    /// <summary>The seed the scene was rendered from.</summary>
    public long Seed { get; }

    /// <summary>Width and height in pixels.</summary>
    public int Size { get; }

    /// <summary>Colour bytes, row-major, three per pixel (R, G, B): index <c>3·(y·Size + x) + channel</c>.</summary>
    public ReadOnlyMemory<byte> Rgb { get; }

    /// <summary>One <see cref="SceneLabel"/> value per pixel, row-major: index <c>y·Size + x</c>.</summary>
    public ReadOnlyMemory<byte> Labels { get; }

    /// <summary>The label of pixel (x, y).</summary>
    public SceneLabel LabelAt(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Size);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Size);
        return (SceneLabel)Labels.Span[(y * Size) + x];
    }

    /// <summary>The colour image. The caller disposes it.</summary>
    public Image<Rgb24> ToImage() => Image.LoadPixelData<Rgb24>(Rgb.Span, Size, Size);

    /// <summary>The label map drawn in <see cref="SceneLabels.Colors"/>. The caller disposes it.</summary>
    public Image<Rgb24> ToLabelImage()
    {
        var pixels = new Rgb24[Size * Size];
        ReadOnlySpan<byte> labels = Labels.Span;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = SceneLabels.Colors[labels[i]];
        }

        return Image.LoadPixelData<Rgb24>(pixels, Size, Size);
    }
}

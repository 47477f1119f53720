using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace SemanticManipulation.Training.World;

/// <summary>A photo of the scene world with a mask painted where adding trees makes sense; see <see cref="SamplePhotos"/>.</summary>
public sealed class SamplePhoto : IDisposable
{
    internal SamplePhoto(long seed, Image<Rgb24> photo, Image<L8> treeMask, double maskFraction)
    {
        Seed = seed;
        Photo = photo;
        TreeMask = treeMask;
        MaskFraction = maskFraction;
    }

    /// <summary>The scene's seed.</summary>
    public long Seed { get; }

    /// <summary>The photo.</summary>
    public Image<Rgb24> Photo { get; }

    /// <summary>The mask, the photo's size: black (0) where trees would be added, white (255) elsewhere, the
    /// dark-on-white convention the SDK's mask reader understands.</summary>
    public Image<L8> TreeMask { get; }

    /// <summary>The share of the photo's pixels the mask covers.</summary>
    public double MaskFraction { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Photo.Dispose();
        TreeMask.Dispose();
    }
}

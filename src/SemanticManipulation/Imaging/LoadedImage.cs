using TorchSharp;

namespace SemanticManipulation.Imaging;

/// <summary>
/// A photo fitted to the model: its tensor and the geometry that produced it. Dispose it to release the tensor.
/// </summary>
/// <remarks>Keep <see cref="Fit"/> to load the edit mask with the same geometry
/// (<see cref="EditMask.Load(string, ImageFit)"/>) and to paste a result back onto the photo
/// (<see cref="ImageTensor.PasteBack(torch.Tensor, SixLabors.ImageSharp.Image{SixLabors.ImageSharp.PixelFormats.Rgb24}, ImageFit)"/>).</remarks>
public sealed class LoadedImage : IDisposable
{
    /// <summary>Creates the pair; the instance takes ownership of <paramref name="photo"/>.</summary>
    /// <param name="photo">The photo on the S×S canvas.</param>
    /// <param name="fit">The geometry that mapped the photo onto the S×S canvas.</param>
    /// <exception cref="ArgumentException">The photo's resolution is not the fit's.</exception>
    public LoadedImage(ModelPhoto photo, ImageFit fit)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(fit);
        photo.ThrowIfNotResolution(fit.Resolution);
        Photo = photo;
        Fit = fit;
    }

    /// <summary>The photo on the model's canvas, as inversion and editing take it. Owned by this instance: dispose the
    /// instance, or <see cref="ModelPhoto.Clone"/> it to keep it longer.</summary>
    public ModelPhoto Photo { get; }

    /// <summary>The photo as a float32 CPU tensor <c>[1, 3, S, S]</c>, RGB, values in [-1, 1] (<see cref="Photo"/>'s).
    /// Owned by this instance: dispose the instance, not the tensor, or detach it with <c>Tensor.clone()</c> to keep it
    /// longer.</summary>
    public torch.Tensor Tensor => Photo.Tensor;

    /// <summary>The geometry that mapped the photo onto the S×S canvas.</summary>
    public ImageFit Fit { get; }

    /// <summary>Releases the tensor.</summary>
    public void Dispose() => Photo.Dispose();
}

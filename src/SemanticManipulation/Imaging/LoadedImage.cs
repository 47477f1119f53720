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
    /// <summary>Creates the pair; the instance takes ownership of <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The photo as a float32 tensor <c>[1, 3, S, S]</c> in [-1, 1].</param>
    /// <param name="fit">The geometry that mapped the photo onto the S×S canvas.</param>
    public LoadedImage(torch.Tensor tensor, ImageFit fit)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(fit);
        Tensor = tensor;
        Fit = fit;
    }

    /// <summary>The photo as a float32 CPU tensor <c>[1, 3, S, S]</c>, RGB, values in [-1, 1]. Owned by this instance:
    /// dispose the instance, not the tensor, or detach it with <c>Tensor.clone()</c> to keep it longer.</summary>
    public torch.Tensor Tensor { get; }

    /// <summary>The geometry that mapped the photo onto the S×S canvas.</summary>
    public ImageFit Fit { get; }

    /// <summary>Releases the tensor.</summary>
    public void Dispose() => Tensor.Dispose();
}

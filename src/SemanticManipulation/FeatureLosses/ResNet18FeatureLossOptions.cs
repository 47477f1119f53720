using static TorchSharp.torch;

namespace SemanticManipulation.FeatureLosses;

/// <summary>Where the pretrained ResNet-18 is read from and which of its features φ uses.</summary>
public sealed class ResNet18FeatureLossOptions
{
    /// <summary>
    /// A folder holding <c>ResNet18.onnx</c> and <c>ResNetPreprocess.onnx</c> (directly, or in <c>ResNet18Onnx/</c> and
    /// <c>ResNetPrepOnnx/</c> as the NuGet package lays them out). Null: the <c>DnnImageModels</c> folder that package's
    /// build step copies next to the application, then the package in the local NuGet cache. Nothing is downloaded.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>The stage whose output is φ. Default <see cref="ResNetFeatureLayer.Layer2"/> (stride 8).</summary>
    public ResNetFeatureLayer Layer { get; set; } = ResNetFeatureLayer.Layer2;

    /// <summary>Resize images to this side before φ (the network was trained at 224). Null: use them at their own size.</summary>
    public int? InputSize { get; set; }

    /// <summary>The device for the network. Null: the CPU.</summary>
    public Device? Device { get; set; }

    /// <summary>Checks every value, naming the first that is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Layer))
        {
            throw new ArgumentOutOfRangeException(nameof(Layer), Layer, "The feature layer must be Layer1 … Layer4.");
        }

        if (InputSize is < 32)
        {
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "The input size must be at least 32 pixels.");
        }
    }
}

using SemanticManipulation.Checkpoints;
using SemanticManipulation.FeatureLosses;

namespace SemanticManipulation.Benchmarks.SideBySide;

/// <summary>
/// Hands the SDK's φ (the pretrained ResNet-18 as <see cref="ResNet18FeatureLoss"/> loads it from the NuGet package's
/// ONNX file) to the PyTorch reference as a safetensors file, so that both sides of the feature-loss row run the same
/// weights: Debian's PyTorch cannot read ONNX, and the CNTK export names its weights by graph position, not by layer.
/// </summary>
internal sealed class ReferenceFeatureWeights : IDisposable
{
    private ReferenceFeatureWeights(string path) => Path = path;

    /// <summary>The safetensors file: torchvision keys (<c>conv1.weight</c>, <c>layer2.0.bn1.running_var</c> …) and <c>mean_image</c>.</summary>
    public string Path { get; }

    /// <summary>Loads φ (local files only; nothing is downloaded) and writes its weights to a temporary file.</summary>
    public static ReferenceFeatureWeights Write()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
            $"side-by-side-resnet18-{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.safetensors");
        using var phi = ResNet18FeatureLoss.Load();
        SafeTensorsWriter.Write(path, phi.StateTensors(), new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = phi.Name });
        return new ReferenceFeatureWeights(path);
    }

    /// <summary>Deletes the file.</summary>
    public void Dispose() => File.Delete(Path);
}

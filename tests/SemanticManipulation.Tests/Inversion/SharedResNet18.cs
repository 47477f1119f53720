using SemanticManipulation.FeatureLosses;

namespace SemanticManipulation.Tests.Inversion;

/// <summary>One ResNet-18 feature loss for every test (loading the 64 MB ONNX file once).</summary>
internal static class SharedResNet18
{
    private static readonly Lazy<ResNet18FeatureLoss> Instance = new(() => ResNet18FeatureLoss.Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static ResNet18FeatureLoss FeatureLoss => Instance.Value;
}

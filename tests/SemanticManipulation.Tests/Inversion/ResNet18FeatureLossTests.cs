using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using SemanticManipulation.FeatureLosses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

public sealed class ResNet18FeatureLossTests
{
    private const double RelativeTolerance = 1e-4;

    [Fact]
    public void Pooled_features_match_onnx_runtime_on_the_same_images()
    {
        var phi = SharedResNet18.FeatureLoss;
        var (networkPath, preprocessPath) = ResNet18ModelFiles.Locate(null);
        using var preprocess = new InferenceSession(preprocessPath);
        using var network = new InferenceSession(networkPath);

        foreach (var seed in new[] { 1, 2, 3 })
        {
            using var scope = NewDisposeScope();
            var image = TestImage(seed);                          // [1, 3, 224, 224], RGB on the 0–255 scale
            var expectedInput = Run(preprocess, image);             // ONNX Runtime: BGR minus the mean image
            var expectedPooled = Run(network, expectedInput);       // ONNX Runtime: [1, 512, 1, 1]

            using var noGrad = no_grad();
            var input = phi.Preprocess(image);
            var pooled = phi.Pooled(input);

            Assert.Equal(expectedInput.shape, input.shape);
            Assert.True(RelativeError(input, expectedInput) < 1e-6, $"preprocessing differs by {RelativeError(input, expectedInput):E2}");
            Assert.Equal([1L, 512], pooled.shape);
            var error = RelativeError(pooled, expectedPooled.reshape(1, 512));
            Assert.True(error < RelativeTolerance, $"image {seed}: pooled features differ from ONNX Runtime's by {error:E2} (relative, max-norm)");
            Assert.True(expectedPooled.abs().max().item<float>() > 0.1f, "the reference features are not degenerate");
        }
    }

    [Fact]
    public void The_imported_network_is_the_packages_resnet18_with_its_cntk_stage_depths()
    {
        var phi = SharedResNet18.FeatureLoss;
        Assert.Equal("resnet18/layer2", phi.Name);
        Assert.Equal(ResNetFeatureLayer.Layer2, phi.Layer);

        using var scope = NewDisposeScope();
        var images = rand(2, 3, 64, 64, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(4)) * 2 - 1;
        var features = phi.Features(images);
        Assert.Equal([2L, 128, 8, 8], features.shape);   // stage 2: stride 8
    }

    [Fact]
    public void State_tensors_name_every_weight_as_torchvision_does_and_carry_the_mean_image()
    {
        var state = SharedResNet18.FeatureLoss.StateTensors();

        Assert.Equal([64L, 3, 7, 7], state["conv1.weight"].shape);
        Assert.Equal([128L, 64, 1, 1], state["layer2.0.downsample.0.weight"].shape);
        Assert.Equal([128L], state["layer2.1.bn2.running_var"].shape);
        Assert.Equal([1L, 3, 224, 224], state["mean_image"].shape);
        Assert.DoesNotContain(state.Keys, k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal));
    }

    [Fact]
    public void Features_are_differentiable_with_respect_to_the_images_and_the_network_stays_frozen()
    {
        var phi = SharedResNet18.FeatureLoss;
        using var scope = NewDisposeScope();
        var images = (rand(1, 3, 32, 32, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(5)) * 2 - 1).requires_grad_(true);
        var target = zeros(1, 3, 32, 32);
        using var noGrad = no_grad();
        var targetFeatures = phi.Features(target);
        noGrad.Dispose();
        var loss = ((IFeatureLoss)phi).Distance(phi.Features(images), targetFeatures);
        loss.backward();

        Assert.NotNull(images.grad);
        Assert.True(images.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_folder_without_the_model_is_refused_naming_the_package_and_the_way_out()
    {
        using var folder = Fixture.TempDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => ResNet18FeatureLoss.Load(new ResNet18FeatureLossOptions { ModelDirectory = folder.Path }));
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("FeatureLossWeight = 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_onnx_resnet_is_refused()
    {
        using var folder = Fixture.TempDirectory();
        File.WriteAllBytes(folder.File("ResNet18.onnx"), [0x08, 0x03, 0x3A, 0x05, 0x0A, 0x03, 0x0A, 0x01]);   // a truncated graph
        File.Copy(ResNet18ModelFiles.Locate(null).Preprocess, folder.File("ResNetPreprocess.onnx"));

        var error = Assert.Throws<InvalidDataException>(() => ResNet18FeatureLoss.Load(new ResNet18FeatureLossOptions { ModelDirectory = folder.Path }));
        Assert.Contains("ResNet18.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_and_images_get_clear_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet18FeatureLoss.Load(new ResNet18FeatureLossOptions { InputSize = 8 }));
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => SharedResNet18.FeatureLoss.Features(zeros(1, 1, 32, 32)));
        Assert.Contains("[N, 3, H, W]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A smooth colour pattern plus seeded noise, RGB on the 0–255 scale.</summary>
    private static Tensor TestImage(int seed)
    {
        var random = new TorchSharp.torch.Generator(0, CPU).manual_seed(seed);
        var ramp = linspace(0, 1, 224);
        var pattern = stack([ramp.view(1, 224).expand(224, 224), ramp.view(224, 1).expand(224, 224), (ramp.view(1, 224) * ramp.view(224, 1)).sqrt()])
            .unsqueeze(0) * (100 + (50 * seed));
        return (pattern + (rand(1, 3, 224, 224, generator: random) * 100)).clamp(0, 255);
    }

    private static Tensor Run(InferenceSession session, Tensor input)
    {
        var values = input.contiguous().data<float>().ToArray();
        var dimensions = input.shape.Select(d => (int)d).ToArray();
        var name = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, dimensions))]);
        var output = results.Single().AsTensor<float>();
        return tensor(output.ToArray(), output.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }

    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual - expected).abs().max().item<float>() / (double)expected.abs().max().item<float>();
}

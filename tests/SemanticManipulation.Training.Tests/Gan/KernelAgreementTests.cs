using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Gan;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Gan;

/// <summary>
/// Every network the SDK trains learns the same on this CPU's float32 kernels as in float64. libtorch sends float32
/// convolutions to oneDNN, whose kernels differ with the CPU's vector width (SSE4.1, AVX2, AVX-512, ...); float64
/// convolutions take ATen's own reference path. A kernel that computes a wrong gradient, or corrupts memory, for one
/// of the shapes these networks use shows here on the machine that has it, naming the network and the parameter,
/// instead of as a NaN loss thousands of steps into training.
/// </summary>
public sealed class KernelAgreementTests
{
    // float32 against float64 through a few layers and a double backward: rounding stays far below this; a wrong kernel
    // or overwritten memory lands far above it.
    private const double Tolerance = 2e-3;

    [Fact]
    public void The_generator_learns_the_same_in_float32_as_in_float64()
    {
        var architecture = new ProGanArchitecture(16, [16, 16, 8]);
        AssertSameGradients("generator", () => Trainable(ProGanGenerator.Create(architecture, seed: 3).Network),
            (network, type) => Weighted(((nn.Module<Tensor, Tensor>)network).forward(Input([4, 16], type, 1))));
    }

    [Fact]
    public void The_generator_learns_the_same_in_float32_as_in_float64_through_its_channels_last_and_transposed_layers()
    {
        // 64²: layers from 16² up run channels-last, and the upsampling ones from a 16² input on as transposed convolutions;
        // 24, 20 and 12 channels are partial blocks at every vector width.
        var architecture = new ProGanArchitecture(16, [16, 24, 20, 12, 8]);
        AssertSameGradients("generator", () => Trainable(ProGanGenerator.Create(architecture, seed: 5).Network),
            (network, type) => Weighted(((nn.Module<Tensor, Tensor>)network).forward(Input([2, 16], type, 1))));
    }

    [Fact]
    public void The_discriminator_with_its_r1_penalty_learns_the_same_in_float32_as_in_float64()
    {
        AssertSameGradients("discriminator", () => new ProGanDiscriminator([16, 16, 8], seed: 4),
            (network, type) => GanTrainer.DiscriminatorLoss((nn.Module<Tensor, Tensor>)network, Input([4, 3, 16, 16], type, 2).tanh(),
                Input([4, 3, 16, 16], type, 3).tanh(), penalise: true, new GanTrainingOptions()));
    }

    [Fact]
    public void The_semantic_discriminator_with_its_r1_penalty_learns_the_same_in_float32_as_in_float64()
    {
        AssertSameGradients("semantic discriminator", () => new SemanticDiscriminator(12, 8, seed: 5),
            (network, type) => GanTrainer.DiscriminatorLoss((nn.Module<Tensor, Tensor>)network, Input([4, 12, 16, 16], type, 4).softmax(1),
                Input([4, 12, 16, 16], type, 5).softmax(1), penalise: true, new GanTrainingOptions()));
    }

    [Fact]
    public void The_segmenter_learns_the_same_in_float32_as_in_float64()
    {
        AssertSameGradients("segmenter", () => ConvolutionalSegmenter.Create([.. Enumerable.Range(0, 12).Select(i => $"label{i}")], width: 8, depth: 3, seed: 6).Network,
            (network, type) => Weighted(((nn.Module<Tensor, Tensor>)network).forward(Input([4, 3, 32, 32], type, 6).tanh())));
    }

    // The default recipes' segmenters, at their own width, depth and side: large enough that libtorch hands them to
    // oneDNN, with 24 and 72 input channels (not a multiple of AVX-512's 16-float block) and 12 output channels (not of
    // AVX2's 8). The 128² one has one stage more, and so channel counts the 64² one never reaches.
    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    public void The_segmenter_of_each_default_recipe_learns_the_same_in_float32_as_in_float64(int side)
    {
        var recipe = DefaultModelOptions.ForResolution(side).Segmenter;
        AssertSameGradients($"segmenter (width {recipe.Width}, depth {recipe.Depth}, {recipe.Resolution}²)",
            () => ConvolutionalSegmenter.Create([.. Enumerable.Range(0, 12).Select(i => $"label{i}")], width: recipe.Width, depth: recipe.Depth, seed: 8).Network,
            (network, type) => Weighted(((nn.Module<Tensor, Tensor>)network).forward(Input([2, 3, recipe.Resolution, recipe.Resolution], type, 8).tanh())));
    }

    [Fact]
    public void The_semantic_discriminator_at_the_default_models_width_learns_the_same_in_float32_as_in_float64()
    {
        AssertSameGradients("semantic discriminator (12 classes, width 32)", () => new SemanticDiscriminator(12, 32, seed: 9),
            (network, type) => GanTrainer.DiscriminatorLoss((nn.Module<Tensor, Tensor>)network, Input([16, 12, 16, 16], type, 9).softmax(1),
                Input([16, 12, 16, 16], type, 10).softmax(1), penalise: true, new GanTrainingOptions()));
    }

    [Fact]
    public void The_encoder_learns_the_same_in_float32_as_in_float64()
    {
        using var generator = ProGanGenerator.Create(new ProGanArchitecture(32, [32, 32, 16, 8, 8]), seed: 2);
        AssertSameGradients("encoder", () => Training(HybridEncoder.Create(generator, new HybridEncoderOptions { TrunkWidth = 8 }, seed: 7).Network),
            (network, type) =>
            {
                var (r, z) = ((HybridEncoderNetwork)network).Encode(Input([4, 3, 64, 64], type, 7).tanh());
                return Weighted(r) + Weighted(z);
            });
    }

    private static void AssertSameGradients(string name, Func<nn.Module> build, Func<nn.Module, ScalarType, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        using var single = build();
        using var reference = build();
        // The same starting weights by copy, not by seed: the segmenter draws its initial weights from libtorch's global
        // generator, which tests running beside this one draw from too.
        using (no_grad())
        {
            var weights = single.state_dict();
            foreach (var (key, tensor) in reference.state_dict())
            {
                tensor.copy_(weights[key]);
            }
        }

        reference.to(ScalarType.Float64);

        var expected = Gradients(reference, loss(reference, ScalarType.Float64));
        var actual = Gradients(single, loss(single, ScalarType.Float32));

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        // Each gradient's error relative to its own size, or to a ten-thousandth of the network's largest where it is
        // (mathematically) zero, e.g. a conv bias that BatchNorm's mean subtraction cancels.
        var floor = 1e-4 * expected.Values.Max(g => g.abs().max().item<double>());
        var errors = expected.ToDictionary(e => e.Key, e =>
            (actual[e.Key].to(ScalarType.Float64) - e.Value).abs().max().item<double>() / Math.Max(e.Value.abs().max().item<double>(), floor));
        var worst = errors.MaxBy(e => e.Value);
        Assert.True(worst.Value < Tolerance,
            $"{name}: the float32 gradient of {worst.Key} is off by {worst.Value:P3} of its size on this CPU's kernels " +
            $"(oneDNN ISA: {Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "the CPU's best"}); all: " +
            string.Join(", ", errors.Where(e => e.Value >= Tolerance).Select(e => $"{e.Key} {e.Value:P2}")));
    }

    private static Dictionary<string, Tensor> Gradients(nn.Module network, Tensor loss)
    {
        loss.backward();
        return network.named_parameters()
            .Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }

    /// <summary>In training mode, as the trainers run it (BatchNorm on batch statistics).</summary>
    private static nn.Module Training(nn.Module network)
    {
        network.train();
        return network;
    }

    private static nn.Module Trainable(nn.Module network)
    {
        foreach (var parameter in network.parameters())
        {
            parameter.requires_grad = true;
        }

        return network;
    }

    /// <summary>The same numbers in either precision: drawn in float64, then converted.</summary>
    private static Tensor Input(long[] shape, ScalarType type, long seed) =>
        randn(shape, dtype: ScalarType.Float64, generator: new Generator(0, CPU).manual_seed(seed)).to(type);

    /// <summary>A loss that weighs every output element differently, so each one's gradient matters.</summary>
    private static Tensor Weighted(Tensor output) =>
        (output * linspace(0.5, 1.5, output.numel(), dtype: output.dtype).reshape(output.shape)).sum();
}

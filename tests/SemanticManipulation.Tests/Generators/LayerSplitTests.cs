using SemanticManipulation.Generators;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Generators;

public sealed class LayerSplitTests
{
    [Fact]
    public void Authors_256_layout_has_their_split_and_perturbation_points()
    {
        using var g = ProGanGenerator.Create(ProGanArchitecture.Lsun256, seed: 1);

        Assert.Equal("layer4", g.SplitLayer);
        Assert.Equal(new FeatureShape(512, 8, 8), g.RepresentationShape);
        Assert.Equal(
            [new("layer8", new(256, 32, 32)), new("layer10", new(128, 64, 64)), new("layer12", new(64, 128, 128)), new("layer14", new(32, 256, 256))],
            g.PerturbationPoints);
        var parameters = g.Network.parameters().Sum(p => p.numel());
        Assert.Equal(ProGanArchitecture.Lsun256.ParameterCount, parameters);
        Assert.InRange(parameters, 18_200_000, 18_400_000);
    }

    [Theory]
    [InlineData(16, new[] { "layer6" })]
    [InlineData(32, new[] { "layer8" })]
    [InlineData(64, new[] { "layer8", "layer10" })]
    [InlineData(128, new[] { "layer8", "layer10", "layer12" })]
    public void Default_perturbation_points_scale_with_resolution(int resolution, string[] expected)
    {
        var blocks = (int)Math.Log2(resolution / 4) + 1;
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, Enumerable.Repeat(8, blocks).ToArray()), seed: 1);

        Assert.Equal(resolution, g.Resolution);
        Assert.Equal(expected, g.PerturbationPoints.Select(p => p.LayerName));
    }

    [Fact]
    public void Split_and_perturbation_layers_are_configurable_and_validated()
    {
        var architecture = new ProGanArchitecture(16, [16, 16, 16, 8]);
        var custom = new ProGanOptions { Split = new LayerSplitOptions { SplitLayer = "layer6", PerturbationLayers = ["layer7", "layer8"] } };
        using (var g = ProGanGenerator.Create(architecture, 3, custom))
        {
            Assert.Equal(new FeatureShape(16, 16, 16), g.RepresentationShape);
            Assert.Equal(["layer7", "layer8"], g.PerturbationPoints.Select(p => p.LayerName));
        }

        var unknown = Assert.Throws<ArgumentException>(() =>
            ProGanGenerator.Create(architecture, 3, new ProGanOptions { Split = new LayerSplitOptions { SplitLayer = "layer42" } }));
        Assert.Contains("layer42", unknown.Message, StringComparison.Ordinal);

        var early = Assert.Throws<ArgumentException>(() =>
            ProGanGenerator.Create(architecture, 3, new ProGanOptions { Split = new LayerSplitOptions { PerturbationLayers = ["layer2"] } }));
        Assert.Contains("after the split", early.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hooks_can_replace_late_features()
    {
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 16, 8]), seed: 5);
        using var scope = NewDisposeScope();
        var z = randn(2, 16, generator: new Generator(0, CPU).manual_seed(1));
        var r = g.Early(z);
        var seen = new List<string>();

        var plain = g.Late(r, (name, x) => { seen.Add(name); return x; });
        // Pixel norm makes the next layer blind to uniform scaling, so shift the features instead.
        var shifted = g.Late(r, (name, x) => name == "layer8" ? x + 1 : x);

        Assert.Equal(["layer5", "layer6", "layer7", "layer8", "output_32x32"], seen);
        Assert.True(plain.eq(g.Generate(z)).all().item<bool>());
        Assert.False(plain.allclose(shifted));
    }

    [Fact]
    public void G_F_resumed_after_a_late_layer_gives_the_image_and_the_gradients_of_the_whole_G_F()
    {
        // 64², 16 channels: the layers from 16² up run channels-last, so the resumed output carries that order too.
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, [32, 32, 16, 16, 16]), seed: 6);
        using var scope = NewDisposeScope();
        var r = g.Early(randn(1, 16, generator: new Generator(0, CPU).manual_seed(2)));
        using var delta8 = randn(1, 16, 32, 32, generator: new Generator(0, CPU).manual_seed(3)).mul(0.1).requires_grad_();
        using var delta10 = randn(1, 16, 64, 64, generator: new Generator(0, CPU).manual_seed(4)).mul(0.1).requires_grad_();
        Tensor? layer8 = null;
        var seen = new List<string>();
        Tensor Perturb(string name, Tensor h)
        {
            seen.Add(name);
            return name switch { "layer8" => h * (1 + delta8), "layer10" => h * (1 + delta10), _ => h };
        }

        var whole = g.Late(r, (name, h) =>
        {
            if (name == "layer8")
            {
                layer8 = h.detach().DetachFromDisposeScope();
            }

            return Perturb(name, h);
        });
        whole.square().sum().backward();
        var (grad8, grad10) = (delta8.grad!.clone(), delta10.grad!.clone());
        delta8.grad!.zero_();
        delta10.grad!.zero_();
        seen.Clear();

        using var captured = layer8!;
        var resumed = g.LateFrom("layer8", captured, Perturb)!;
        resumed.square().sum().backward();

        Assert.Equal(["layer8", "layer9", "layer10", "output_64x64"], seen);
        Assert.True(resumed.is_contiguous());
        Assert.True(resumed.allclose(whole, rtol: 0, atol: 1e-6));
        Assert.True(delta8.grad!.allclose(grad8, rtol: 1e-5, atol: 1e-7));
        Assert.True(delta10.grad!.allclose(grad10, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void G_F_resumes_only_after_its_own_layers_and_from_their_shape()
    {
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 16, 8]), seed: 5);
        using var scope = NewDisposeScope();

        var early = Assert.Throws<ArgumentException>(() => g.LateFrom("layer3", zeros(1, 16, 8, 8)));
        Assert.Contains("layer5, layer6, layer7, layer8", early.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => g.LateFrom("layer42", zeros(1, 16, 8, 8)));
        var shape = Assert.Throws<ArgumentException>(() => g.LateFrom("layer6", zeros(1, 16, 8, 8)));
        Assert.Contains("[N, 16, 16, 16]", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Halves_are_differentiable_in_their_input_but_weights_are_frozen()
    {
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 16, 8]), seed: 5);
        using var scope = NewDisposeScope();
        var z = randn(1, 16, generator: new Generator(0, CPU).manual_seed(2));
        var r = g.Early(z).detach().requires_grad_(true);

        g.Late(r).square().mean().backward();

        Assert.NotNull(r.grad);
        Assert.True(r.grad!.abs().sum().item<float>() > 0);
        Assert.All(g.Network.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Random_generators_are_deterministic_in_the_seed()
    {
        var architecture = new ProGanArchitecture(16, [16, 16, 8]);
        using var a = ProGanGenerator.Create(architecture, seed: 9);
        using var b = ProGanGenerator.Create(architecture, seed: 9);
        using var c = ProGanGenerator.Create(architecture, seed: 10);
        using var scope = NewDisposeScope();
        var z = ones(1, 16);

        Assert.True(a.Generate(z).eq(b.Generate(z)).all().item<bool>());
        Assert.False(a.Generate(z).eq(c.Generate(z)).all().item<bool>());
    }

    [Fact]
    public void Latents_of_the_wrong_size_are_refused()
    {
        using var g = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 8]), seed: 1);
        using var z = ones(1, 17);

        var error = Assert.Throws<ArgumentException>(() => g.Generate(z));

        Assert.Contains("[N, 16]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 17]", error.Message, StringComparison.Ordinal);
    }
}

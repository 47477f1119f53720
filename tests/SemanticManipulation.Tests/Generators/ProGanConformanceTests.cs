using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Generators;

/// <summary>The generator reproduces PyTorch 1.13's outputs for the authors' layout in every checkpoint format.</summary>
public sealed class ProGanConformanceTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> CheckpointFiles => new()
    {
        "progan32_zip.pth",
        "progan32_legacy.pth",
        "progan32_features_wrapped.pth",
        "progan32_features_wrapped_legacy.pth",
        "progan32.safetensors",
    };

    [Theory]
    [MemberData(nameof(CheckpointFiles))]
    public void Every_format_reproduces_pytorch_images(string file)
    {
        using var g = ProGanGenerator.Load(Fixture.ProGan(file));
        using var scope = NewDisposeScope();
        var z = NpyFile.Read(Fixture.ProGan("latents.npy"));
        var expected = NpyFile.Read(Fixture.ProGan("expected_images.npy"));

        var images = g.Generate(z);

        Assert.Equal(expected.shape, images.shape);
        var maxError = (images - expected).abs().max().item<float>();
        Assert.True(maxError <= Tolerance, $"{file}: max |torchsharp - pytorch| = {maxError}");
    }

    [Theory]
    [MemberData(nameof(CheckpointFiles))]
    public void Architecture_is_read_from_the_checkpoint(string file)
    {
        using var g = ProGanGenerator.Load(Fixture.ProGan(file));

        Assert.Equal(new ProGanArchitecture(32, [32, 32, 32, 16]), g.Architecture);
        Assert.Equal(32, g.Resolution);
        Assert.Equal(32, g.LatentSize);
        Assert.Equal("output_32x32", g.LayerNames[^1]);
    }

    [Fact]
    public void Early_half_reproduces_pytorch_layer4_and_late_hook_sees_layer8()
    {
        using var g = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var scope = NewDisposeScope();
        var z = NpyFile.Read(Fixture.ProGan("latents.npy"));

        var r = g.Early(z);
        Tensor? layer8 = null;
        g.Late(r, (name, output) =>
        {
            if (name == "layer8")
            {
                // Tensors made in a hook belong to the forward pass's dispose scope: detach the one we keep.
                layer8 = output.detach().clone().DetachFromDisposeScope();
            }

            return output;
        });

        Assert.Equal(new FeatureShape(32, 8, 8), g.RepresentationShape);
        AssertClose(NpyFile.Read(Fixture.ProGan("expected_layer4.npy")), r);
        Assert.NotNull(layer8);
        using (layer8)
        {
            AssertClose(NpyFile.Read(Fixture.ProGan("expected_layer8.npy")), layer8!);
        }
    }

    [Fact]
    public void Split_halves_compose_to_the_full_generator_exactly()
    {
        using var g = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));
        using var scope = NewDisposeScope();
        var z = NpyFile.Read(Fixture.ProGan("latents.npy"));

        var composed = g.Late(g.Early(z));
        var full = g.Generate(z);
        var network = g.Network.forward(z);

        Assert.True(composed.eq(full).all().item<bool>());
        Assert.True(network.eq(full).all().item<bool>());
    }

    [Fact]
    public void Bytes_match_pytorch_within_one_level()
    {
        using var g = ProGanGenerator.Load(Fixture.ProGan("progan32_legacy.pth"));
        using var scope = NewDisposeScope();
        var z = NpyFile.Read(Fixture.ProGan("latents.npy"));
        var expected = NpyFile.Read(Fixture.ProGan("expected_images_u8.npy")).to(ScalarType.Int32);

        var bytes = ((g.Generate(z) + 1) / 2 * 255).clamp(0, 255).add(0.5).floor().to(ScalarType.Int32).permute(0, 2, 3, 1);

        Assert.True((bytes - expected).abs().max().item<int>() <= 1);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var maxError = (actual - expected).abs().max().item<float>();
        Assert.True(maxError <= Tolerance, $"max |torchsharp - pytorch| = {maxError}");
    }

    [Fact]
    public void A_saved_generator_reloads_exactly_and_keeps_the_metadata_given_beside_its_own()
    {
        using var temp = new TemporaryDirectory();
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32.safetensors"));
        var path = System.IO.Path.Combine(temp.Path, "saved.safetensors");

        generator.Save(path, new Dictionary<string, string> { ["training_steps"] = "7" });

        var metadata = SafeTensorsReader.ReadMetadata(path);
        Assert.Equal("7", metadata["training_steps"]);
        Assert.Equal(generator.Architecture.ToString(), metadata["architecture"]);
        using var reloaded = ProGanGenerator.Load(path);
        Assert.All(generator.StateDict(), p => Assert.True(p.Value.allclose(reloaded.StateDict()[p.Key], rtol: 0, atol: 0), p.Key));
        var clash = Assert.Throws<ArgumentException>(() => generator.Save(path, new Dictionary<string, string> { ["architecture"] = "mine" }));
        Assert.Equal("metadata", clash.ParamName);
        Assert.Equal("7", SafeTensorsReader.ReadMetadata(path)["training_steps"]);   // the refused save wrote nothing
    }
}

using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using SemanticManipulation.Inversion;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

public sealed class HybridEncoderTests : IDisposable
{
    private readonly ProGanGenerator _generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"));

    public void Dispose() => _generator.Dispose();

    [Fact]
    public void The_authors_checkpoint_layout_loads_and_reproduces_pytorchs_outputs()
    {
        using var encoder = HybridEncoder.Load(Encoder("hybrid_encoder_authors.pth"), _generator);
        using var scope = NewDisposeScope();
        var images = NpyFile.Read(Encoder("encoder_images.npy"));

        using var prediction = encoder.Encode(images);

        Assert.Equal(4, encoder.TrunkWidth);
        var expectedR = NpyFile.Read(Encoder("encoder_expected_r.npy"));
        Assert.True(prediction.Representation.allclose(expectedR, rtol: 1e-4, atol: 1e-5),
            $"r differs by {(prediction.Representation - expectedR).abs().max().item<float>()} (max |r| {expectedR.abs().max().item<float>()})");
        Assert.True(prediction.Latent!.allclose(NpyFile.Read(Encoder("encoder_expected_z.npy")), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void An_encoder_for_another_generator_size_is_refused_naming_both_shapes()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => HybridEncoder.Load(Encoder("hybrid_encoder_other_size.pth"), _generator));

        Assert.Contains("hybrid_encoder_other_size.pth", error.Message, StringComparison.Ordinal);
        Assert.Contains("r with 64 channels", error.Message, StringComparison.Ordinal);
        Assert.Contains("z of length 64", error.Message, StringComparison.Ordinal);
        Assert.Contains("32×8×8", error.Message, StringComparison.Ordinal);
        Assert.Contains("z of length 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_sdk_encoder_saved_for_one_generator_is_refused_by_another_with_both_shapes()
    {
        using var folder = Fixture.TempDirectory();
        using var small = HybridEncoder.Create(_generator, new HybridEncoderOptions { TrunkWidth = 4 }, seed: 1);
        small.Save(folder.File("encoder.safetensors"));
        using var larger = ProGanGenerator.Create(new ProGanArchitecture(32, [32, 32, 16, 8, 8]), seed: 2);   // 64², r 32×8×8
        using var wider = ProGanGenerator.Create(new ProGanArchitecture(32, [48, 48, 16, 8]), seed: 3);       // 32², r 48×8×8


        var error = Assert.Throws<CheckpointFormatException>(() => HybridEncoder.Load(folder.File("encoder.safetensors"), wider));
        Assert.Contains("32×8×8 from 32×32 images", error.Message, StringComparison.Ordinal);
        Assert.Contains("48×8×8 for 32×32 images", error.Message, StringComparison.Ordinal);

        var other = Assert.Throws<CheckpointFormatException>(() => HybridEncoder.Load(folder.File("encoder.safetensors"), larger));
        Assert.Contains("32×8×8 from 32×32 images", other.Message, StringComparison.Ordinal);
        Assert.Contains("32×8×8 for 64×64 images", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_an_encoder_is_refused()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => HybridEncoder.Load(Fixture.ProGan("progan32_zip.pth"), _generator));
        Assert.Contains("holds no hybrid encoder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_encoders_load_back_bit_identical()
    {
        using var folder = Fixture.TempDirectory();
        using var encoder = HybridEncoder.Create(_generator, new HybridEncoderOptions { TrunkWidth = 8 }, seed: 3);
        encoder.Save(folder.File("encoder.safetensors"));
        using var loaded = HybridEncoder.Load(folder.File("encoder.safetensors"), _generator);
        using var scope = NewDisposeScope();
        var images = rand(2, 3, 32, 32, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(1)) * 2 - 1;

        using var a = encoder.Encode(images);
        using var b = loaded.Encode(images);

        Assert.True(a.Representation.eq(b.Representation).all().item<bool>());
        Assert.True(a.Latent!.eq(b.Latent!).all().item<bool>());
    }

    [Fact]
    public void The_module_names_are_the_authors_so_their_files_map_key_for_key()
    {
        using var encoder = HybridEncoder.Create(_generator, new HybridEncoderOptions { TrunkWidth = 8 });
        var keys = encoder.StateDict();

        Assert.Equal([8L, 3, 7, 7], keys["resnet.conv1.weight"].shape);
        Assert.Contains("resnet.bn1.running_var", keys.Keys);
        Assert.Contains("resnet.layer2.0.downsample.0.weight", keys.Keys);
        Assert.Contains("resnet.layer4.1.bn2.weight", keys.Keys);
        Assert.Equal([32L, 64, 1, 1], keys["resnet.layer5.conv5.weight"].shape);
        Assert.Contains("inv4.conv3.weight", keys.Keys);                           // layer4 → layer3 (8×8 → 8×8)
        Assert.Contains("inv3.conv3.weight", keys.Keys);                           // layer3 → layer2 (8×8 → 4×4, strided)
        Assert.DoesNotContain("inv2.conv3.weight", keys.Keys);                     // the authors' inv2 has none
        Assert.Equal([32L, 32, 4, 4], keys["inv1.conv1.weight"].shape);            // layer1's 4×4 map → z
        Assert.All(keys.Keys, k => Assert.Matches(@"^(resnet|inv[1-4])\.", k));
    }

    [Theory]
    [InlineData(256, 8, 1, 2, 2, new[] { 1, 2, 2, 2 })]   // the authors' ResNet-18 geometry
    [InlineData(128, 8, 1, 1, 2, new[] { 1, 2, 2, 2 })]   // their "halfsize": no max-pool stride
    [InlineData(64, 8, 1, 1, 1, new[] { 1, 2, 2, 2 })]
    [InlineData(32, 8, 1, 1, 1, new[] { 1, 1, 2, 2 })]
    [InlineData(512, 8, 2, 2, 2, new[] { 1, 2, 2, 2 })]   // ratio 64: pool the image by 2 first
    public void The_trunks_strides_bring_any_resolution_to_the_split_grid(int resolution, int side, int pool, int maxPool, int stem, int[] stages)
    {
        var shapes = new[] { new FeatureShape(16, 4, 4), new FeatureShape(16, 4, 4), new FeatureShape(16, side, side), new FeatureShape(16, side, side) };
        var layout = HybridEncoderLayout.For(resolution, 16, "layer4", new EarlyLayers(["layer1", "layer2", "layer3", "layer4"], shapes), 8, [2, 2, 2, 2]);

        Assert.Equal((pool, maxPool, stem), (layout.InputPool, layout.MaxPoolStride, layout.StemStride));
        Assert.Equal(stages, layout.StageStrides);
        Assert.Equal(resolution / pool / maxPool / stem / stages.Aggregate(1, (a, b) => a * b), side);
    }

    [Fact]
    public void Encoders_fit_any_split_layer_and_channel_schedule()
    {
        using var generator = ProGanGenerator.Create(new ProGanArchitecture(24, [40, 24, 12, 8]), seed: 5,
            new ProGanOptions { Split = new LayerSplitOptions { SplitLayer = "layer5" } });
        using var encoder = HybridEncoder.Create(generator, new HybridEncoderOptions { TrunkWidth = 4, TrunkBlocks = [1, 1, 1, 1] }, seed: 2);
        using var scope = NewDisposeScope();
        var images = generator.Generate(randn(2, 24, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(3)));

        using var prediction = encoder.Encode(images);

        Assert.Equal(generator.RepresentationShape.ToTensorShape(2), prediction.Representation.shape);   // 24×16×16
        Assert.Equal([2L, 24], prediction.Latent!.shape);
        Assert.Equal(5, encoder.StateDict().Keys.Count(k => k.EndsWith(".conv1.weight", StringComparison.Ordinal) && k.StartsWith("inv", StringComparison.Ordinal)));
    }

    [Fact]
    public void Images_of_the_wrong_size_are_refused()
    {
        using var encoder = HybridEncoder.Create(_generator, new HybridEncoderOptions { TrunkWidth = 4 });
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(zeros(1, 3, 64, 64)));
        Assert.Contains("[N, 3, 32, 32]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridEncoder.Create(_generator, new HybridEncoderOptions { TrunkWidth = 0 }));
    }

    private static string Encoder(string file) => Path.Combine(Fixture.Root, "encoder", file);
}

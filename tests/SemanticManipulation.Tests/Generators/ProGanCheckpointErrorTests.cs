using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Generators;

/// <summary>Mismatched checkpoints are refused with a message naming the key and what is wrong with it.</summary>
public sealed class ProGanCheckpointErrorTests
{
    [Fact]
    public void Wrong_shape_names_the_key_and_both_shapes()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(Fixture.ProGan("progan32_wrong_shape.pth")));

        Assert.Contains("'layer5.conv.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 33, 3, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected [32, 32, 3, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_key_is_named_with_its_expected_shape()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(Fixture.ProGan("progan32_missing_key.pth")));

        Assert.Contains("missing key 'layer3.wscale.b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_in_the_layer_sequence_names_the_missing_layer_not_the_output_block()
    {
        using var temp = Fixture.TempDirectory();
        var path = Rewrite(temp, "progan32.safetensors", "generator.safetensors", tensors => tensors.Remove("layer5.conv.weight"));

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(path));

        Assert.Equal(
            "generator.safetensors: the generator's layer sequence has a gap: key 'layer5.conv.weight' is missing although " +
            "the file holds layers up to layer8; the checkpoint is incomplete, save the whole generator's state_dict again.",
            error.Message);
    }

    [Fact]
    public void A_gap_in_an_older_features_checkpoint_names_the_key_as_the_file_spells_it()
    {
        using var temp = Fixture.TempDirectory();
        var path = Rewrite(temp, "progan32_features_wrapped.pth", "old.safetensors", tensors => tensors.Remove("state_dict.features.4.conv.weight"));

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(path));

        Assert.Contains("key 'state_dict.features.4.conv.weight' is missing although the file holds layers up to state_dict.features.7",
            error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12, 0, "holds 12 NaN values")]
    [InlineData(0, 1, "holds 1 infinite value")]
    [InlineData(2, 3, "holds 2 NaN and 3 infinite values")]
    public void Non_finite_weights_are_refused_at_load_time_naming_the_file_and_the_tensor(int nans, int infinities, string expected)
    {
        using var temp = Fixture.TempDirectory();
        var path = Rewrite(temp, "progan32.safetensors", "generator.safetensors", tensors =>
        {
            var flat = tensors["layer3.conv.weight"].view(-1);
            flat[TensorIndex.Slice(0, nans)] = float.NaN;
            flat[TensorIndex.Slice(nans, nans + infinities)] = float.NegativeInfinity;
        });

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(path));

        Assert.Equal(
            $"generator.safetensors: tensor 'layer3.conv.weight' {expected}; the file is corrupt or the training diverged, " +
            "re-download it or use an earlier checkpoint.", error.Message);
    }

    [Fact]
    public void An_empty_weight_claiming_no_channels_is_refused_naming_it()
    {
        using var temp = Fixture.TempDirectory();
        var path = Rewrite(temp, "progan32.safetensors", "generator.safetensors", tensors => tensors["layer2.conv.weight"] = empty(0, 32, 3, 3));

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(path));

        Assert.Equal("generator.safetensors: key 'layer2.conv.weight' has shape [0, 32, 3, 3], expected [C, C, 3, 3].", error.Message);
    }

    [Fact]
    public void Shapes_are_checked_before_the_network_they_describe_is_allocated()
    {
        // An empty tensor costs no bytes but can claim 2^31 - 1 channels: a network that size would need terabytes.
        using var temp = Fixture.TempDirectory();
        var path = Rewrite(temp, "progan32.safetensors", "generator.safetensors", tensors => tensors["layer2.conv.weight"] = empty(int.MaxValue, 0, 3, 3));

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(path));

        Assert.Equal("generator.safetensors: key 'layer1.conv.weight' has shape [32, 32, 4, 4], expected [2147483647, 32, 4, 4].", error.Message);
    }

    [Fact]
    public void A_checkpoint_of_something_else_is_refused()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(Fixture.ProGan("not_a_generator.pth")));

        Assert.Contains("not a ProGAN generator checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer1.conv.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_resolution_is_refused()
    {
        var options = new ProGanOptions { ExpectedResolution = 256 };

        var error = Assert.Throws<CheckpointFormatException>(() => ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"), options));

        Assert.Contains("32×32", error.Message, StringComparison.Ordinal);
        Assert.Contains("256×256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var path = Fixture.ProGan("no_such_checkpoint.pth");

        var error = Assert.Throws<FileNotFoundException>(() => ProGanGenerator.Load(path));

        Assert.Contains("no_such_checkpoint.pth", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Copies a fixture's tensors into a safetensors file after <paramref name="edit"/>.</summary>
    private static string Rewrite(TemporaryDirectory temp, string fixture, string name, Action<Dictionary<string, Tensor>> edit)
    {
        using var state = StateDictReader.Read(Fixture.ProGan(fixture));
        var tensors = state.Tensors.ToDictionary(t => t.Key, t => t.Value.clone(), StringComparer.Ordinal);
        edit(tensors);
        var path = temp.File(name);
        SafeTensorsWriter.Write(path, tensors);
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        return path;
    }
}

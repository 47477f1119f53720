using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using Xunit;

namespace SemanticManipulation.Tests.Generators;

/// <summary>Mismatched checkpoints are refused with a message naming the key and both shapes.</summary>
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
}

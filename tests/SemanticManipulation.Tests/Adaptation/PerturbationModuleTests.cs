using SemanticManipulation.Adaptation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class PerturbationModuleTests
{
    private static readonly PerturbationPoint[] Points =
    [
        new("layer6", new FeatureShape(16, 8, 8)),
        new("layer8", new FeatureShape(8, 16, 16)),
    ];

    [Fact]
    public void Rs_state_dict_holds_its_noise_as_a_buffer_beside_the_stage_weights_under_the_saved_state_keys()
    {
        using var network = new PerturbationNetwork(Points, seed: 1, noiseChannels: 4);

        var keys = network.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();

        string[] expected =
        [
            "noise",
            "stage1.body.bias", "stage1.body.weight", "stage1.down.bias", "stage1.down.weight", "stage1.head.bias", "stage1.head.weight",
            "stage2.body.bias", "stage2.body.weight", "stage2.down.bias", "stage2.down.weight", "stage2.head.bias", "stage2.head.weight",
        ];
        Assert.Equal(expected, keys);
        Assert.Equal(["noise"], network.named_buffers().Select(b => b.name));
        Assert.DoesNotContain(network.named_parameters(), p => p.name == "noise");
        Assert.Equal([1L, 4, 16, 16], network.get_buffer("noise")!.shape);
    }

    [Fact]
    public void Moving_R_moves_its_noise_and_it_computes_from_there()
    {
        using var network = new PerturbationNetwork(Points, seed: 1, noiseChannels: 4);

        // A dtype change stands in for a device change: both replace every parameter and buffer.
        network.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var deltas = network.Compute();

        Assert.Equal(ScalarType.Float64, network.get_buffer("noise")!.dtype);
        Assert.All(deltas.Values, d => Assert.Equal(ScalarType.Float64, d.dtype));
        Assert.Equal([1L, 8, 16, 16], deltas["layer8"].shape);
        Assert.Equal([1L, 16, 8, 8], deltas["layer6"].shape);
    }

    [Fact]
    public void Free_delta_is_one_parameter_per_point_named_after_its_layer_and_follows_a_move()
    {
        using var free = new FreePerturbation(Points);

        free.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var deltas = free.Compute();

        Assert.Equal(["layer6", "layer8"], free.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.All(deltas, d => Assert.Same(free.get_parameter(d.Key), d.Value));
        Assert.All(deltas.Values, d => Assert.Equal(ScalarType.Float64, d.dtype));
    }

    [Fact]
    public void Rs_noise_comes_from_the_seed()
    {
        using var first = new PerturbationNetwork(Points, seed: 5, noiseChannels: 4);
        using var second = new PerturbationNetwork(Points, seed: 5, noiseChannels: 4);

        Assert.True(first.get_buffer("noise")!.eq(second.get_buffer("noise")!).all().item<bool>());
    }

    [Fact]
    public void Points_finer_than_64_are_served_by_stages_at_64_whose_heads_emit_their_delta_sub_pixel()
    {
        PerturbationPoint[] points =
        [
            new("layer8", new FeatureShape(16, 64, 64)),
            new("layer10", new FeatureShape(8, 128, 128)),
            new("layer12", new FeatureShape(4, 256, 256)),
        ];
        using var network = new PerturbationNetwork(points, seed: 1, noiseChannels: 2);
        using var scope = NewDisposeScope();

        var state = network.state_dict();
        var deltas = network.Compute();

        // The 256² point's stage runs at 64², 64 wide, on the noise 4×4 pixels per position; its head emits 4·4·4 channels.
        Assert.Equal([1L, 2 * 16, 64, 64], state["noise"].shape);
        Assert.Equal([64L, 2 * 16, 3, 3], state["stage1.down.weight"].shape);
        Assert.Equal([4L * 16, 64, 3, 3], state["stage1.head.weight"].shape);
        Assert.Equal([8L * 4, 64, 3, 3], state["stage2.head.weight"].shape);
        // A point at 64² keeps a stage of its own width.
        Assert.Equal([16L, 64, 3, 3], state["stage3.down.weight"].shape);
        Assert.Equal([16L, 16, 3, 3], state["stage3.head.weight"].shape);
        Assert.All(points, p => Assert.Equal(p.Shape.ToTensorShape(), deltas[p.LayerName].shape));
        Assert.All(deltas.Values, d => Assert.Equal(0, d.abs().max().item<float>()));
    }

    [Fact]
    public void A_folded_R_reads_the_papers_noise_at_the_finest_point_rearranged_into_its_stage()
    {
        PerturbationPoint[] fine = [new("layer12", new FeatureShape(4, 128, 128))];
        using var folded = new PerturbationNetwork(fine, seed: 3, noiseChannels: 2);
        using var unfolded = PerturbationNetwork.WithUnfoldedStages(fine, seed: 3, noiseChannels: 2);
        using var scope = NewDisposeScope();

        var paperNoise = unfolded.get_buffer("noise")!;

        Assert.Equal([1L, 2, 128, 128], paperNoise.shape);
        Assert.True(folded.get_buffer("noise")!.eq(nn.functional.pixel_unshuffle(paperNoise, 2)).all().item<bool>());
    }

    [Fact]
    public void Points_whose_stages_cannot_follow_one_another_are_refused_naming_the_point_and_the_stage_sizes()
    {
        // 192² folds to a stage at 48² (halved until it is at most 64²), which a 64² point's stage cannot follow.
        PerturbationPoint[] points = [new("layer12", new FeatureShape(4, 192, 192)), new("layer10", new FeatureShape(8, 64, 64))];

        var error = Assert.Throws<ArgumentException>(() => new PerturbationNetwork(points, seed: 1, noiseChannels: 2).Dispose());

        Assert.Contains("'layer10'", error.Message, StringComparison.Ordinal);
        Assert.Contains("64×64, which is not an integer down-sampling of the previous stage's 48×48", error.Message, StringComparison.Ordinal);
    }
}

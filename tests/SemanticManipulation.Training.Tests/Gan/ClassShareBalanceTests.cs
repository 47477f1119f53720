using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Tests;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.World;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Gan;

/// <summary>The class-share balance: a generator loss term that pulls the generator's long-run class shares toward the world's.</summary>
public sealed class ClassShareBalanceTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    /// <summary>Class maps where every pixel has the same distribution over three classes.</summary>
    private static Tensor Uniform(params float[] shares) =>
        tensor(shares).reshape(1, shares.Length, 1, 1).expand(2, shares.Length, 4, 4).contiguous();

    private static void Warm(ClassShareBalance balance, Tensor world, Tensor generated)
    {
        for (var i = 0; i < ClassShareBalance.HalfLifeSteps; i++)
        {
            balance.Observe(world, generated);
        }
    }

    [Fact]
    public void Until_its_averages_have_seen_a_half_life_of_steps_it_does_not_push()
    {
        using var scope = NewDisposeScope();
        using var balance = new ClassShareBalance(2);
        var logits = zeros(2, 2, 4, 4).requires_grad_(true);
        for (var i = 1; i < ClassShareBalance.HalfLifeSteps; i++)
        {
            balance.Observe(Uniform(0.2f, 0.8f), Uniform(0.8f, 0.2f));
        }

        Assert.False(balance.Warm);
        Assert.Equal(0f, balance.Loss(nn.functional.softmax(logits, 1)).item<float>());
        balance.Observe(Uniform(0.2f, 0.8f), Uniform(0.8f, 0.2f));
        Assert.True(balance.Warm);
        Assert.True(balance.Loss(nn.functional.softmax(logits, 1)).item<float>() != 0);
    }

    [Fact]
    public void Its_gradient_asks_for_more_of_a_class_the_generator_draws_too_rarely_and_less_of_one_it_overdraws()
    {
        using var scope = NewDisposeScope();
        using var balance = new ClassShareBalance(3);
        Warm(balance, Uniform(0.5f, 0.3f, 0.2f), Uniform(0.5f, 0.4f, 0.1f));
        var logits = zeros(2, 3, 4, 4).requires_grad_(true);

        balance.Loss(nn.functional.softmax(logits, 1)).backward();

        // Gradient descent moves logits against the gradient: the rare class (2) up, the overdrawn one (1) down, the
        // class drawn at the world's share barely (only through the softmax's coupling).
        var step = -logits.grad!.mean([0, 2, 3]);
        Assert.True(step[2].item<float>() > 0, $"class 2 (half the world's share) is pushed by {step[2].item<float>()}");
        Assert.True(step[1].item<float>() < 0, $"class 1 (a third too much) is pushed by {step[1].item<float>()}");
    }

    [Fact]
    public void Shares_average_over_a_half_life_of_steps_starting_from_the_first_batch()
    {
        using var scope = NewDisposeScope();
        using var balance = new ClassShareBalance(2);
        balance.Observe(Uniform(0.2f, 0.8f), Uniform(1f, 0f));
        Assert.Equal(0.2, balance.Shares.World[0], 5);
        Assert.Equal(1.0, balance.Shares.Generated[0], 5);
        for (var i = 0; i < ClassShareBalance.HalfLifeSteps; i++)
        {
            balance.Observe(Uniform(0.6f, 0.4f), Uniform(0f, 1f));
        }

        Assert.Equal(0.4, balance.Shares.World[0], 3);   // halfway from 0.2 to 0.6
        Assert.Equal(0.5, balance.Shares.Generated[0], 3);
    }

    [Fact]
    public void A_matched_generator_gets_no_push()
    {
        using var scope = NewDisposeScope();
        using var balance = new ClassShareBalance(3);
        Warm(balance, Uniform(0.5f, 0.3f, 0.2f), Uniform(0.5f, 0.3f, 0.2f));
        var logits = randn(2, 3, 4, 4).requires_grad_(true);

        balance.Loss(nn.functional.softmax(logits, 1)).backward();

        Assert.Equal(0f, logits.grad!.abs().max().item<float>());
    }

    [Fact]
    public void A_run_that_switches_it_on_later_continues_from_a_checkpoint_without_it_and_then_checkpoints_its_averages()
    {
        using var segmenter = ConvolutionalSegmenter.Create(SceneLabels.Names, width: 4, depth: 2, seed: 3);
        var before = GanTrainerTests.Tiny(3);
        before.SemanticWeight = 1;
        before.SemanticWidth = 4;
        new GanTrainer().Train(GanTrainerTests.Source, before, _temporary.Path, segmenter);

        var after = GanTrainerTests.Tiny(5);
        after.SemanticWeight = 1;
        after.SemanticWidth = 4;
        after.ClassShareWeight = 10;
        after.ClassShareStartStep = 3;
        var steps = new List<GanTrainingProgress>();
        new GanTrainer().Train(GanTrainerTests.Source, after, _temporary.Path, segmenter, new SynchronousProgress<GanTrainingProgress>(steps.Add));

        Assert.Equal([4, 5], steps.Select(p => p.Step));
        using var checkpoint = StateDictReader.Read(Path.Combine(_temporary.Path, "gan.checkpoint.safetensors"));
        var world = checkpoint.Tensors["class_shares.world"];
        Assert.Equal([SceneLabels.Names.Count], world.shape);
        Assert.Equal(1, world.sum().item<float>(), 3);   // the averages of distributions are distributions
        Assert.Equal(2f, checkpoint.Tensors["class_shares.seen"].item<float>());   // the two steps it ran for
    }

    [Fact]
    public void Without_the_semantic_discriminator_it_is_refused()
    {
        var options = GanTrainerTests.Tiny(2);
        options.ClassShareWeight = 1;

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(GanTrainingOptions.ClassShareWeight), error.ParamName);
        Assert.Contains("SemanticWeight", error.Message, StringComparison.Ordinal);
    }
}

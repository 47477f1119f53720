using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Generators;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.Gan;
using SemanticManipulation.Training.World;
using SemanticManipulation.Tests;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Tests.Gan;

/// <summary>GAN training with the semantic (vision-aided) discriminator that judges a frozen segmenter's class maps.</summary>
public sealed class SemanticDiscriminatorTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new();

    public void Dispose() => _temporary.Dispose();

    private static GanTrainingOptions Tiny(int steps)
    {
        var options = GanTrainerTests.Tiny(steps);
        options.SemanticWeight = 1;
        options.SemanticWidth = 4;
        return options;
    }

    private static SceneWorldImageSource Source => GanTrainerTests.Source;

    private static ConvolutionalSegmenter TinySegmenter() => ConvolutionalSegmenter.Create(SceneLabels.Names, width: 4, depth: 2, seed: 3);

    [Fact]
    public void Training_with_it_checkpoints_its_head_resumes_and_leaves_the_segmenter_untouched()
    {
        using var segmenter = TinySegmenter();
        var before = segmenter.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        using var cancellation = new CancellationTokenSource();
        var first = new List<GanTrainingProgress>();
        var progress = GanTrainerTests.RecordingUntil(first, 4, cancellation);

        Assert.ThrowsAny<OperationCanceledException>(() => new GanTrainer().Train(Source, Tiny(7), _temporary.Path, segmenter, progress, cancellation.Token));
        using (var checkpoint = StateDictReader.Read(Path.Combine(_temporary.Path, "gan.checkpoint.safetensors")))
        {
            var head = checkpoint.Tensors.Keys.Where(k => k.StartsWith("D_semantic.", StringComparison.Ordinal)).ToList();
            Assert.Contains("D_semantic.b16_conv.weight", head);
            Assert.Equal([4, SceneLabels.Names.Count, 3, 3], checkpoint.Tensors["D_semantic.b16_conv.weight"].shape);
            Assert.True(File.Exists(Path.Combine(_temporary.Path, "gan.optimizer-d_semantic.step-4.bin")));
        }

        var second = new List<GanTrainingProgress>();
        var result = new GanTrainer().Train(Source, Tiny(7), _temporary.Path, segmenter, new SynchronousProgress<GanTrainingProgress>(second.Add));

        Assert.Equal([5, 6, 7], second.Select(p => p.Step));   // after the checkpoint the cancelled run wrote at step 4
        Assert.All(second, p => Assert.True(double.IsFinite(p.DiscriminatorLoss) && double.IsFinite(p.GeneratorLoss)));
        using var generator = ProGanGenerator.Load(result);
        Assert.Equal(16, generator.Resolution);
        foreach (var (key, value) in segmenter.Network.state_dict())
        {
            Assert.True(value.equal(before[key]).all().item<bool>(), $"the frozen segmenter's {key} changed");
            Assert.False(value.requires_grad && key.EndsWith("weight", StringComparison.Ordinal), $"{key} still asks for gradients");
        }
    }

    [Fact]
    public void Its_loss_changes_what_the_generator_learns()
    {
        using var segmenter = TinySegmenter();
        var plain = Tiny(3);
        plain.SemanticWeight = 0;
        var plainResult = new GanTrainer().Train(Source, plain, Path.Combine(_temporary.Path, "plain"));
        var plainAgain = new GanTrainer().Train(Source, plain, Path.Combine(_temporary.Path, "plain-again"));
        var semanticResult = new GanTrainer().Train(Source, Tiny(3), Path.Combine(_temporary.Path, "semantic"), segmenter);

        // Training is deterministic (same seeds, same data), so only the semantic discriminator's gradient can make
        // the generators differ.
        using var a = StateDictReader.Read(plainResult);
        using var again = StateDictReader.Read(plainAgain);
        using var b = StateDictReader.Read(semanticResult);
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        Assert.All(a.Tensors.Keys, k => Assert.True(a.Tensors[k].equal(again.Tensors[k]).all().item<bool>(), k));
        Assert.Contains(a.Tensors.Keys, k => !a.Tensors[k].equal(b.Tensors[k]).all().item<bool>());
    }

    [Fact]
    public void A_positive_weight_without_a_segmenter_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new GanTrainer().Train(Source, Tiny(2), _temporary.Path));

        Assert.Equal("segmenter", error.ParamName);
        Assert.False(File.Exists(GanTrainer.ResultPath(_temporary.Path)));
    }

    [Fact]
    public void A_segmenter_that_cannot_read_the_generators_images_is_refused()
    {
        using var deep = ConvolutionalSegmenter.Create(SceneLabels.Names, width: 2, depth: 5);   // needs sides divisible by 32

        var error = Assert.Throws<ArgumentException>(() => new GanTrainer().Train(Source, Tiny(2), _temporary.Path, deep));
        Assert.Contains("stride 32", error.Message, StringComparison.Ordinal);
        Assert.Contains("16²", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(GanTrainer.ResultPath(_temporary.Path)));
    }

    [Fact]
    public void A_negative_weight_is_refused()
    {
        var options = Tiny(2);
        options.SemanticWeight = -0.5;

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(GanTrainingOptions.SemanticWeight), error.ParamName);
    }

    [Fact]
    public void Class_maps_are_pooled_to_sixteen_pixels_a_side_and_scored_once_per_image()
    {
        using var scope = NewDisposeScope();
        using var head = new SemanticDiscriminator(classes: 12, width: 4, seed: 1);
        var maps = nn.functional.softmax(randn(4, 12, 64, 64), 1);

        var pooled = SemanticDiscriminator.Pool(maps);
        var scores = head.forward(pooled);

        Assert.Equal([4, 12, 16, 16], pooled.shape);
        Assert.True(pooled.sum(1).allclose(ones(4, 16, 16), atol: 1e-5));   // still a distribution per cell
        Assert.Equal([4, 1], scores.shape);
        Assert.Equal([2, 12, 16, 16], SemanticDiscriminator.Pool(maps.narrow(0, 0, 2).narrow(2, 0, 16).narrow(3, 0, 16)).shape);
    }

    [Fact]
    public void Judging_part_of_the_batch_scores_and_steers_only_the_leading_images()
    {
        using var scope = NewDisposeScope();
        using var segmenter = TinySegmenter();
        var part = Tiny(2);
        part.SemanticBatchSize = 2;
        using var partJudge = new SemanticJudge(segmenter, part, 16);
        using var wholeJudge = new SemanticJudge(segmenter, Tiny(2), 16);   // same seed: the same head
        var images = (rand(6, 3, 16, 16, generator: new Generator(0, CPU).manual_seed(5)) * 2 - 1).requires_grad_(true);

        var partLoss = partJudge.GeneratorLoss(images);
        var leadingLoss = wholeJudge.GeneratorLoss(images.detach().narrow(0, 0, 2));
        partLoss.backward();

        Assert.Equal(leadingLoss.item<float>(), partLoss.item<float>(), 5);
        var gradient = images.grad!;
        Assert.True(gradient.narrow(0, 0, 2).abs().sum().item<float>() > 0, "the judged images get no gradient");
        Assert.Equal(0f, gradient.narrow(0, 2, 4).abs().sum().item<float>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_judged_part_outside_two_to_the_batch_is_refused(int judged)
    {
        var options = Tiny(2);
        options.BatchSize = 4;
        options.SemanticBatchSize = judged;

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(GanTrainingOptions.SemanticBatchSize), error.ParamName);
    }
}

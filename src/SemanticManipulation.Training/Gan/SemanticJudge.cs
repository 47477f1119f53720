using SemanticManipulation.Optimization;
using SemanticManipulation.Segmentation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Gan;

/// <summary>
/// The semantic half of GAN training: a frozen segmenter turns images into class maps, and a
/// <see cref="SemanticDiscriminator"/> (with its own optimiser) scores them. Real and generated class maps are computed
/// without gradients for the discriminator's step; the generator's loss back-propagates through the frozen segmenter.
/// </summary>
internal sealed class SemanticJudge : IDisposable
{
    private readonly SegmenterNetwork _segmenter;
    private readonly SemanticDiscriminator _discriminator;
    private readonly OptimizerHelper _optimizer;
    private readonly int? _judged;

    /// <summary>The semantic losses' weight beside the pixel discriminator's, held for the run.</summary>
    private readonly Scalar _weight;

    public SemanticJudge(ConvolutionalSegmenter segmenter, GanTrainingOptions options, int resolution)
    {
        if (resolution % SemanticDiscriminator.InputSide != 0 || resolution % segmenter.Stride != 0)
        {
            throw new ArgumentException(
                $"The semantic discriminator needs images whose side is a multiple of {SemanticDiscriminator.InputSide} and of the segmenter's stride " +
                $"{segmenter.Stride}; this generator makes {resolution}² images. Train it with SemanticWeight = 0.", nameof(segmenter));
        }

        _segmenter = segmenter.Network;
        _segmenter.eval();
        GanTrainer.Freeze(_segmenter, true);
        _discriminator = new SemanticDiscriminator(segmenter.Labels.Count, options.SemanticWidth, options.Seed + 2);
        _optimizer = HeldScalarAdam.Create(_discriminator.parameters(), options.LearningRate, beta1: 0.0, beta2: 0.99);
        _weight = options.SemanticWeight;
        _judged = options.SemanticBatchSize;
    }

    /// <summary>Adds the discriminator and its optimiser to a checkpoint's contents.</summary>
    public void AddTo(Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers)
    {
        modules["D_semantic"] = _discriminator;
        optimizers["d_semantic"] = _optimizer;
    }

    /// <summary>The semantic discriminator (for the non-finite watch's parameter names).</summary>
    public nn.Module Discriminator => _discriminator;

    public void ZeroGrad() => _optimizer.zero_grad();

    public void Step() => _optimizer.step();

    public void Freeze(bool frozen) => GanTrainer.Freeze(_discriminator, frozen);

    /// <summary>The semantic discriminator's weighted loss (and lazy R1 on the real class maps) for one batch.</summary>
    /// <param name="real">The real batch.</param>
    /// <param name="fake">The generated batch the discriminator learns to tell apart.</param>
    /// <param name="penalise">Whether this step applies the lazy R1 penalty.</param>
    /// <param name="options">The run's options.</param>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake, bool penalise, GanTrainingOptions options)
    {
        Tensor realMaps, fakeMaps;
        using (no_grad())
        {
            realMaps = ClassMaps(Judged(real));
            fakeMaps = ClassMaps(Judged(fake.detach()));
        }

        return _weight * GanTrainer.DiscriminatorLoss(_discriminator, realMaps, fakeMaps, penalise, options);
    }

    /// <summary>The generator's weighted non-saturating loss against the semantic discriminator, through the frozen
    /// segmenter.</summary>
    /// <param name="images">The generated batch (with gradient).</param>
    public Tensor GeneratorLoss(Tensor images) =>
        _weight * nn.functional.softplus(-_discriminator.forward(ClassMaps(Judged(images)))).mean();

    /// <summary>The leading images of a batch that the semantic discriminator judges (see <see cref="GanTrainingOptions.SemanticBatchSize"/>).</summary>
    private Tensor Judged(Tensor batch) => _judged is int n && n < batch.shape[0] ? batch.narrow(0, 0, n) : batch;

    private Tensor ClassMaps(Tensor images) => SemanticDiscriminator.Pool(nn.functional.softmax(_segmenter.forward(images), 1));

    public void Dispose()
    {
        _optimizer.Dispose();
        _discriminator.Dispose();
        _weight.Dispose();
    }
}

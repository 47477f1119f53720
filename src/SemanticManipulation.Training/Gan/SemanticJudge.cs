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
    private readonly ClassShareBalance? _balance;
    private readonly Scalar? _balanceWeight;
    private readonly int _balanceStart;

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
        if (options.ClassShareWeight > 0)
        {
            _balance = new ClassShareBalance(segmenter.Labels.Count);
            _balanceWeight = options.ClassShareWeight;
            _balanceStart = options.ClassShareStartStep;
        }
    }

    /// <summary>The checkpoint name of the class-share balance's running averages (absent from runs that started without it).</summary>
    internal const string BalanceModule = "class_shares";

    /// <summary>Adds the discriminator and its optimiser to a checkpoint's contents.</summary>
    public void AddTo(Dictionary<string, nn.Module> modules, Dictionary<string, OptimizerHelper> optimizers)
    {
        modules["D_semantic"] = _discriminator;
        optimizers["d_semantic"] = _optimizer;
        if (_balance is not null)
        {
            modules[BalanceModule] = _balance;
        }
    }

    /// <summary>The running world and generated class shares, when the class-share balance is on.</summary>
    public (float[] World, float[] Generated)? Shares => _balance?.Shares;

    /// <summary>The semantic discriminator (for the non-finite watch's parameter names).</summary>
    public nn.Module Discriminator => _discriminator;

    public void ZeroGrad() => _optimizer.zero_grad();

    public void Step() => _optimizer.step();

    public void Freeze(bool frozen) => GanTrainer.Freeze(_discriminator, frozen);

    /// <summary>Whether the class-share balance is on: then each step's <see cref="DiscriminatorLoss"/> needs images of
    /// the generator that ships (see <see cref="JudgedCount"/>).</summary>
    public bool BalancesShares => _balance is not null;

    /// <summary>How many images of a batch of <paramref name="batch"/> are judged (see <see cref="GanTrainingOptions.SemanticBatchSize"/>),
    /// and so how many of the shipped generator's images the class-share balance observes.</summary>
    public int JudgedCount(long batch) => (int)(_judged is int n && n < batch ? n : batch);

    /// <summary>The semantic discriminator's weighted loss (and lazy R1 on the real class maps) for one batch; the
    /// class-share balance, when on, observes the real batch's class maps and those of <paramref name="shipped"/>.</summary>
    /// <param name="real">The real batch.</param>
    /// <param name="fake">The generated batch the discriminator learns to tell apart.</param>
    /// <param name="penalise">Whether this step applies the lazy R1 penalty.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="shipped">Images of the generator that ships (the weights' average), when the balance is on.</param>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake, bool penalise, GanTrainingOptions options, Tensor? shipped = null)
    {
        Tensor realMaps, fakeMaps;
        using (no_grad())
        {
            realMaps = ClassMaps(Judged(real));
            fakeMaps = ClassMaps(Judged(fake.detach()));
            if (_balance is not null)
            {
                _balance.Observe(realMaps, shipped is null
                    ? throw new ArgumentNullException(nameof(shipped), "The class-share balance observes the shipped generator's images.")
                    : ClassMaps(Judged(shipped)));
            }
        }

        return _weight * GanTrainer.DiscriminatorLoss(_discriminator, realMaps, fakeMaps, penalise, options);
    }

    /// <summary>The generator's weighted non-saturating loss against the semantic discriminator, through the frozen
    /// segmenter, plus from <see cref="GanTrainingOptions.ClassShareStartStep"/> on the class-share balance's.</summary>
    /// <param name="images">The generated batch (with gradient).</param>
    /// <param name="step">The training step (1-based).</param>
    public Tensor GeneratorLoss(Tensor images, int step)
    {
        var probabilities = Probabilities(Judged(images));
        var loss = _weight * nn.functional.softplus(-_discriminator.forward(SemanticDiscriminator.Pool(probabilities))).mean();
        return _balance is not null && step > _balanceStart ? loss + (_balanceWeight! * _balance.Loss(probabilities)) : loss;
    }

    /// <summary>The leading images of a batch that the semantic discriminator judges (see <see cref="GanTrainingOptions.SemanticBatchSize"/>).</summary>
    private Tensor Judged(Tensor batch) => batch.narrow(0, 0, JudgedCount(batch.shape[0]));

    private Tensor ClassMaps(Tensor images) => SemanticDiscriminator.Pool(Probabilities(images));

    private Tensor Probabilities(Tensor images) => nn.functional.softmax(_segmenter.forward(images), 1);

    public void Dispose()
    {
        _optimizer.Dispose();
        _discriminator.Dispose();
        _balance?.Dispose();
        _balanceWeight?.Dispose();
        _weight.Dispose();
    }
}

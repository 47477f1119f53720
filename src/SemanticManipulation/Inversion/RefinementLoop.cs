using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The state of one per-image refinement (the authors' <c>optimize_residuals</c>): zero-initialised additive residuals
/// d_i on the outputs of early layers, applied through G_H's layer hook, and their Adam optimiser. Each
/// <see cref="Step"/> is one update of <c>mean|x − x̂| + w·φ-distance(x̂, x) + λ·Σ_i mean(d_i²)</c>. Owns its
/// tensors: dispose it.
/// </summary>
internal sealed class RefinementLoop : IDisposable
{
    private readonly ILayerSplitGenerator _generator;
    private readonly Tensor _photo;
    private readonly RefinementStart _start;
    private readonly IFeatureLoss? _featureLoss;
    private readonly InversionOptions _options;
    private readonly Dictionary<string, Parameter> _residuals = new(StringComparer.Ordinal);
    private readonly Tensor? _photoFeatures;
    private readonly optim.Optimizer _optimizer;

    /// <param name="generator">The generator (not changed).</param>
    /// <param name="early">Its early layers' names and shapes.</param>
    /// <param name="photo">The target <c>[1, 3, R, R]</c> on the generator's device; not owned.</param>
    /// <param name="start">Where to start; not owned.</param>
    /// <param name="layers">The early layers that get a residual.</param>
    /// <param name="featureLoss">φ, or null for pixel-only.</param>
    /// <param name="options">Learning rate, schedule and loss weights.</param>
    public RefinementLoop(ILayerSplitGenerator generator, EarlyLayers early, Tensor photo, RefinementStart start, IReadOnlyList<string> layers,
        IFeatureLoss? featureLoss, InversionOptions options)
    {
        _generator = generator;
        _photo = photo;
        _start = start;
        _options = options;
        _featureLoss = featureLoss is not null && options.FeatureLossWeight > 0 ? featureLoss : null;
        foreach (var layer in layers)
        {
            var shape = early.Shapes[early.IndexOf(layer)];
            // Owned for the loop's lifetime: detached from the scope, which frees only the temporary zeros.
            using var scope = NewDisposeScope();
            var residual = new Parameter(zeros(shape.ToTensorShape(), device: generator.Device), requires_grad: true);
            residual.DetachFromDisposeScope();
            _residuals[layer] = residual;
        }

        if (_featureLoss is not null)
        {
            using var noGrad = no_grad();
            _photoFeatures = _featureLoss.Features(photo).DetachFromDisposeScope();
        }

        _optimizer = HeldScalarAdam.Create(_residuals.Values, options.LearningRate);
    }

    /// <summary>The residuals by layer name (live parameters).</summary>
    public IReadOnlyDictionary<string, Parameter> Residuals => _residuals;

    /// <summary>One update at (1-based) <paramref name="step"/>. Returns the loss and the PSNR of the reconstruction the
    /// gradient came from (before the update).</summary>
    public (double Loss, double PsnrDb) Step(int step)
    {
        using var scope = NewDisposeScope();
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = _options.LearningRateAt(step - 1);
        }

        _optimizer.zero_grad();
        var reconstruction = Render();
        var loss = (reconstruction - _photo).abs().mean();
        if (_featureLoss is not null)
        {
            loss += _options.FeatureLossWeight * _featureLoss.Distance(_featureLoss.Features(reconstruction), _photoFeatures!);
        }

        if (_options.ResidualPenalty > 0)
        {
            loss += _options.ResidualPenalty * _residuals.Values.Select(d => d.Squared().mean()).Aggregate((a, b) => a + b);
        }

        GradientStep.Take(loss, _optimizer, "Inversion refinement", step,
            [("the reconstruction", reconstruction), .. _residuals.Select(r => ($"the residual on {r.Key}", (Tensor)r.Value))]);
        return (loss.item<float>(), Metrics.ImageMetrics.Psnr(reconstruction, _photo));
    }

    /// <summary>The current representation r = G_H(z; d) (on the caller's dispose scope).</summary>
    public Tensor Representation() => _generator.Early(_start.Latent, Hook);

    /// <summary>The current reconstruction G_F(G_H(z; d)) (on the caller's dispose scope).</summary>
    public Tensor Render() => _generator.Late(Representation());

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var residual in _residuals.Values)
        {
            residual.Dispose();
        }

        _photoFeatures?.Dispose();
    }

    private Tensor Hook(string name, Tensor output)
    {
        // A fresh handle even when nothing is added: the forward pass owns (and may move) what the hook returns.
        var h = name == _start.ReplacedLayer ? _start.ReplacedOutput!.alias() : output;
        return _residuals.TryGetValue(name, out var d) ? h + d : h;
    }
}

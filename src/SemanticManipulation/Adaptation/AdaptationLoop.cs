using System.Globalization;
using SemanticManipulation.Metrics;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// The state of one fit between steps: the fixed tensors (photo, r_e, keep), the perturbation being trained and its
/// optimiser. <see cref="GeneratorAdapter"/> drives it; benchmarks time single <see cref="Step"/>s.
/// </summary>
internal sealed class AdaptationLoop : IDisposable
{
    private readonly ILayerSplitGenerator _generator;
    private readonly AdaptationOptions _options;
    private readonly Tensor _photo;
    private readonly Tensor _edited;
    private readonly Tensor _keep;
    private readonly OptimizerHelper _optimizer;
    private readonly LearningRateSchedule _schedule;

    // Held, not converted every step: TorchSharp 0.107 can finalize an implicit Scalar while libtorch reads it.
    private readonly Scalar _deltaPenalty;
    private Perturbation? _perturbation;

    // G_F's layers up to the first perturbation point see only r_e, which a fit holds fixed: their output is computed
    // once, and each step resumes after them (about half of G_F's forward work at 64²); null when the generator cannot
    // resume part-way.
    private (string Layer, Tensor Output)? _resumeFrom;
    private int _steps;

    /// <summary>Prepares a fit. Takes ownership of <paramref name="perturbation"/> (disposed with the loop unless
    /// <see cref="Release"/>d).</summary>
    public AdaptationLoop(ILayerSplitGenerator generator, Perturbation perturbation, AdaptationTarget target, AdaptationOptions options)
    {
        _generator = generator;
        _options = options;
        _perturbation = perturbation;
        var device = generator.Device;
        using var scope = NewDisposeScope();
        // Everything that can fail runs while the scope still owns what was made, so a failure leaks nothing.
        var photo = target.Photo.Tensor.detach().to(device);
        var edited = (target.EditedRepresentation ?? target.Representation).detach().to(ScalarType.Float32).to(device);
        var keep = AdaptedGenerator.KeepFor(target.EditMask?.ToTensor(device), options, generator);
        // Less than half a pixel's weight in all: a mask over everything, which the blur leaves at 1 up to rounding.
        if (target.EditMask is not null && !(keep.sum().item<float>() >= 0.5f))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The edit, grown by the fitting margin ({options.DilationAt(generator.Resolution):0.#} px), covers the whole image: no pixel is left to fit G' to. ") +
                "Paint a smaller region (or lower AdaptationOptions.DilationPixels).", nameof(target));
        }
        _schedule = options.ScheduleFor(perturbation);
        _optimizer = HeldScalarAdam.Create(perturbation.parameters(), options.LearningRate);
        try
        {
            _resumeFrom = FirstPointOutput(generator, perturbation, edited);
        }
        catch
        {
            _optimizer.Dispose();
            throw;
        }

        _photo = photo.DetachFromDisposeScope();
        _edited = edited.DetachFromDisposeScope();
        _keep = keep.DetachFromDisposeScope();
        _deltaPenalty = options.DeltaPenalty;
    }

    /// <summary>The pixel weights the loss uses.</summary>
    public Tensor Keep => _keep;

    /// <summary>Runs one optimisation step.</summary>
    /// <param name="measurePsnr">Whether to measure the kept-pixel PSNR: a handful of extra passes and a read-back, so a
    /// fit asks for it only on the steps it reports, or on every step when a target PSNR may stop it.</param>
    /// <param name="stopAtPsnrDb">A target: when the output this step computes already reaches it, the step changes
    /// nothing, so that G' is left as it was measured (the caller then stops). Null: always update.</param>
    /// <returns>The loss, and the kept-pixel PSNR of the output the step's gradient came from (so step 1 measures
    /// the un-adapted generator, since δ starts at 0), or NaN when not measured.</returns>
    public (double Loss, double KeptPsnrDb) Step(bool measurePsnr = true, double? stopAtPsnrDb = null)
    {
        var perturbation = _perturbation ?? throw new ObjectDisposedException(nameof(AdaptationLoop));
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        // Steps past the planned count (a benchmark timing single steps) stay at the schedule's last rate.
        var rate = _options.LearningRate * _schedule.FactorAt(Math.Min(_steps + 1, _options.Steps), _options.Steps);
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = rate;
        }

        var deltas = perturbation.Compute();
        var output = Render(PerturbationHook.Create(deltas, _options.Mode));
        var reconstruction = ((output - _photo).abs() * _keep).mean();
        var penalty = deltas.Values.Select(d => d.Squared().mean()).Aggregate((a, b) => a + b);
        var loss = reconstruction + (_deltaPenalty * penalty);
        var psnr = measurePsnr || stopAtPsnrDb is not null ? ImageMetrics.Psnr(output, _photo, _keep) : double.NaN;
        if (psnr >= stopAtPsnrDb)
        {
            return (loss.item<float>(), psnr);
        }

        GradientStep.Take(loss, _optimizer, "Adaptation", ++_steps,
            [("G'(r)", output), .. deltas.Select(d => ($"δ at {d.Key}", d.Value)),
             .. NonFiniteWatch.Parameters("perturbation", perturbation)]);
        return (loss.item<float>(), psnr);
    }

    /// <summary>The kept-pixel PSNR of the current G'.</summary>
    public double MeasureKeptPsnr()
    {
        var perturbation = _perturbation ?? throw new ObjectDisposedException(nameof(AdaptationLoop));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = Render(PerturbationHook.Create(perturbation.Compute(), _options.Mode));
        return ImageMetrics.Psnr(output, _photo, _keep);
    }

    /// <summary>G_F(r_e) with <paramref name="hook"/>, resumed at the first perturbation point where the generator can.</summary>
    private Tensor Render(LayerHook hook)
    {
        if (_resumeFrom is var (layer, output))
        {
            if (_generator.LateFrom(layer, output, hook) is Tensor resumed)
            {
                return resumed;
            }

            output.Dispose();
            _resumeFrom = null;
        }

        return _generator.Late(_edited, hook);
    }

    /// <summary>The output of the first layer (in G_F's order) that <paramref name="perturbation"/> perturbs, for r.</summary>
    private static (string Layer, Tensor Output) FirstPointOutput(ILayerSplitGenerator generator, Perturbation perturbation, Tensor r)
    {
        // Points come in the generator's order.
        var first = perturbation.Points[0].LayerName;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor? captured = null;
        generator.Late(r, (name, h) =>
        {
            if (name == first)
            {
                captured = h.detach().DetachFromDisposeScope();
            }

            return h;
        });
        return (first, captured ?? throw new InvalidOperationException($"G_F never ran its layer '{first}', a perturbation point."));
    }

    /// <summary>Hands the trained perturbation to the caller, without the last step's gradients (as large as δ itself,
    /// and never read again by a fitted G'); the loop no longer disposes it.</summary>
    public Perturbation Release()
    {
        var perturbation = _perturbation ?? throw new ObjectDisposedException(nameof(AdaptationLoop));
        perturbation.zero_grad(set_to_none: true);
        _perturbation = null;
        return perturbation;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _perturbation?.Dispose();
        _perturbation = null;
        _photo.Dispose();
        _edited.Dispose();
        _keep.Dispose();
        _resumeFrom?.Output.Dispose();
        _resumeFrom = null;
        _deltaPenalty.Dispose();
    }
}

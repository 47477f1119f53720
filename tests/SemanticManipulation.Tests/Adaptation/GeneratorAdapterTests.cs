using SemanticManipulation.Editing;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class GeneratorAdapterTests : IDisposable
{
    private readonly AdaptationFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void Fitting_raises_kept_pixel_psnr_well_above_the_unadapted_generator(string kind)
    {
        var options = new AdaptationOptions { Steps = 150, Kind = kind, Seed = 1, TargetKeptPsnrDb = null };

        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), options);

        using var scope = NewDisposeScope();
        var unadapted = ImageMetrics.Psnr(_fixture.Generator.Late(_fixture.Representation), _fixture.Photo);
        var fitted = ImageMetrics.Psnr(adapted.Render(), _fixture.Photo);
        Assert.Equal(unadapted, adapted.Metrics.PsnrBeforeDb, 3);
        Assert.Equal(fitted, adapted.Metrics.PsnrAfterDb, 3);
        Assert.True(fitted > unadapted + 6, $"{kind}: PSNR {unadapted:F2} dB -> {fitted:F2} dB");
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void A_fitted_generator_keeps_no_gradients_from_its_last_step(string kind)
    {
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { Steps = 3, Kind = kind });

        Assert.All(adapted.Perturbation.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Before_fitting_the_adapted_generator_equals_the_generator()
    {
        var options = new AdaptationOptions { Steps = 1, LearningRate = 1e-12 };
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), options);
        using var network = new PerturbationNetwork(_fixture.Generator.PerturbationPoints, seed: 3);
        using var scope = NewDisposeScope();

        Assert.All(network.Compute().Values, d => Assert.Equal(0f, d.abs().max().item<float>()));
        Assert.True(adapted.Render().allclose(_fixture.Generator.Late(_fixture.Representation), rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void With_an_edit_mask_the_inside_follows_the_edit_and_the_outside_the_photo(string kind)
    {
        using var scope = NewDisposeScope();
        var mask = AdaptationFixture.SquareMask();
        var edited = _fixture.EditedRepresentation(mask);
        var options = new AdaptationOptions { Steps = 150, Kind = kind, Seed = 2, TargetKeptPsnrDb = null };

        using var adapted = new GeneratorAdapter().Fit(
            _fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, StrokeMask.FromTensor(mask, 32), edited), options);

        var output = adapted.Render(edited);
        var editOnly = _fixture.Generator.Late(edited);
        var keep = 1 - nn.functional.max_pool2d(mask, 2 * 2 + 1, stride: 1, padding: 2);   // the dilated region's complement
        var outsidePsnr = ImageMetrics.Psnr(output, _fixture.Photo, keep);
        var unadaptedOutsidePsnr = ImageMetrics.Psnr(editOnly, _fixture.Photo, keep);
        var insideToEdit = ImageMetrics.Psnr(output, editOnly, mask);
        var insideToPhoto = ImageMetrics.Psnr(output, _fixture.Photo, mask);

        Assert.True(outsidePsnr > unadaptedOutsidePsnr + 6, $"outside: {unadaptedOutsidePsnr:F2} -> {outsidePsnr:F2} dB");
        // Free δ stays exactly 0 inside (only the penalty reaches it); R's δ is spatially smooth and carries some of
        // the photo's correction into the hole, as the paper intends, so the margin is smaller there.
        Assert.True(insideToEdit > insideToPhoto + 3, $"inside: vs edit {insideToEdit:F2} dB, vs photo {insideToPhoto:F2} dB");
        // The edit really changed the inside: the photo is far from G(r_e) there.
        Assert.True(ImageMetrics.Psnr(editOnly, _fixture.Photo, mask) < insideToEdit - 6);
    }

    [Fact]
    public void The_early_layers_are_bit_identical_after_fitting()
    {
        using var scope = NewDisposeScope();
        var early = _fixture.Generator.StateDict()
            .Where(p => p.Key.StartsWith("layer1.", StringComparison.Ordinal) || p.Key.StartsWith("layer2.", StringComparison.Ordinal)
                || p.Key.StartsWith("layer3.", StringComparison.Ordinal) || p.Key.StartsWith("layer4.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value.clone());
        var everything = _fixture.Generator.StateDict().ToDictionary(p => p.Key, p => p.Value.clone());
        var z = randn(2, 32, generator: new Generator(0, CPU).manual_seed(5));
        var before = _fixture.Generator.Early(z);

        using (new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
                   new AdaptationOptions { Steps = 20 }))
        {
        }

        Assert.Equal(8, early.Count);
        foreach (var (key, value) in everything)
        {
            Assert.True(value.eq(_fixture.Generator.StateDict()[key]).all().item<bool>(), $"{key} changed");
        }

        Assert.True(before.eq(_fixture.Generator.Early(z)).all().item<bool>());
    }

    [Fact]
    public void R_settles_higher_with_its_own_decaying_schedule_than_at_the_papers_constant_rate()
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        using var own = new GeneratorAdapter().Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 150, Seed = 1, TargetKeptPsnrDb = null });
        using var constant = new GeneratorAdapter().Fit(_fixture.Generator, target,
            new AdaptationOptions { Steps = 150, Seed = 1, Schedule = LearningRateSchedule.Constant, TargetKeptPsnrDb = null });

        Assert.Same(LearningRateSchedule.PlateauThenCosine, own.Perturbation.DefaultSchedule);
        Assert.True(own.Metrics.PsnrAfterDb > constant.Metrics.PsnrAfterDb + 0.5,
            $"R's schedule {own.Metrics.PsnrAfterDb:F2} dB, constant {constant.Metrics.PsnrAfterDb:F2} dB");
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void Every_early_step_gains_kept_pixel_psnr(string kind)
    {
        var reports = new List<AdaptationProgress>();
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            new AdaptationOptions { Steps = 150, Kind = kind, Seed = 1, ProgressInterval = 1, TargetKeptPsnrDb = 1000 },
            new SynchronousProgress<AdaptationProgress>(reports.Add));

        var early = reports.Take(10).Select(r => r.KeptPsnrDb).ToArray();
        Assert.True(early.Zip(early.Skip(1)).All(p => p.Second > p.First), $"{kind}: {string.Join(" → ", early.Select(p => p.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void Fits_are_deterministic_in_the_seed()
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        using var a = new GeneratorAdapter().Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 25, Seed = 4 });
        using var b = new GeneratorAdapter().Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 25, Seed = 4 });
        using var c = new GeneratorAdapter().Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 25, Seed = 5 });
        using var scope = NewDisposeScope();

        Assert.True(a.Render().allclose(b.Render(), rtol: 0, atol: 1e-6));
        Assert.False(a.Render().allclose(c.Render(), rtol: 0, atol: 1e-4));
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void A_fit_resuming_G_F_at_its_first_point_ends_where_a_fit_through_the_whole_G_F_ends(string kind)
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        var options = new AdaptationOptions { Steps = 25, Kind = kind, Seed = 4 };
        using var resumed = new GeneratorAdapter().Fit(_fixture.Generator, target, options);
        using var whole = new GeneratorAdapter().Fit(new WholeLateOnly(_fixture.Generator), target, options);
        using var scope = NewDisposeScope();

        Assert.True(resumed.Render().allclose(whole.Render(), rtol: 0, atol: 1e-6));
        Assert.Equal(whole.Metrics.PsnrAfterDb, resumed.Metrics.PsnrAfterDb, 4);
    }

    [Fact]
    public void Progress_reports_steps_and_early_stop_ends_at_the_target()
    {
        var reports = new List<AdaptationProgress>();
        var options = new AdaptationOptions { Steps = 400, ProgressInterval = 5, TargetKeptPsnrDb = 24, Seed = 1 };

        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation),
            options, new SynchronousProgress<AdaptationProgress>(reports.Add));

        Assert.True(adapted.Metrics.StoppedEarly);
        Assert.True(adapted.Metrics.Steps < 400);
        Assert.True(reports[^1].KeptPsnrDb >= 24);
        Assert.Equal(adapted.Metrics.Steps, reports[^1].Step);
        Assert.All(reports.SkipLast(1), r => Assert.Equal(0, r.Step % 5));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Elapsed >= p.First.Elapsed));
    }

    [Fact]
    public void By_default_a_fit_stops_at_the_first_step_whose_kept_pixels_reach_40_dB()
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        var everyStep = new List<AdaptationProgress>();
        using (new GeneratorAdapter().Fit(_fixture.Generator, target,
                   new AdaptationOptions { Steps = 300, Kind = PerturbationKinds.Free, Seed = 1, ProgressInterval = 1, TargetKeptPsnrDb = null },
                   new SynchronousProgress<AdaptationProgress>(everyStep.Add)))
        {
        }

        var reached = everyStep.FindIndex(p => p.KeptPsnrDb >= AdaptationOptions.DefaultTargetKeptPsnrDb);
        Assert.True(reached >= 0, $"the fit without a target never reached 40 dB in 300 steps (ended at {everyStep[^1].KeptPsnrDb:F2} dB)");
        Assert.Equal(300, everyStep[^1].Step);

        using var stopped = new GeneratorAdapter().Fit(_fixture.Generator, target,
            new AdaptationOptions { Steps = 300, Kind = PerturbationKinds.Free, Seed = 1 });

        Assert.Equal(40, new AdaptationOptions().TargetKeptPsnrDb);
        Assert.True(stopped.Metrics.StoppedEarly);
        Assert.Equal(everyStep[reached].Step, stopped.Metrics.Steps);
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void A_fit_whose_kept_pixels_already_reach_the_target_returns_G_as_it_was(string kind)
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        using var scope = NewDisposeScope();
        var unadapted = _fixture.Generator.Late(_fixture.Representation);
        var before = ImageMetrics.Psnr(unadapted, _fixture.Photo);

        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator, target,
            new AdaptationOptions { Steps = 50, Kind = kind, Seed = 1, TargetKeptPsnrDb = before - 1 });

        // The first step measured the un-adapted generator at the target, so it stopped without an update.
        Assert.True(adapted.Metrics.StoppedEarly);
        Assert.Equal(1, adapted.Metrics.Steps);
        Assert.Equal(adapted.Metrics.PsnrBeforeDb, adapted.Metrics.PsnrAfterDb, 6);
        Assert.True(adapted.Render().allclose(unadapted, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Cancellation_stops_within_a_step_and_frees_every_tensor()
    {
        using var cancellation = new CancellationTokenSource();
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        var lastStep = 0;
        var progress = new SynchronousProgress<AdaptationProgress>(p =>
        {
            lastStep = p.Step;
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.ThrowsAny<OperationCanceledException>(() => new GeneratorAdapter().Fit(_fixture.Generator, target,
            new AdaptationOptions { Steps = 100, ProgressInterval = 1 }, progress, cancellation.Token));

        Assert.Equal(3, lastStep);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Repeated_fits_leave_no_live_tensors_behind()
    {
        var target = new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation);
        var adapter = new GeneratorAdapter();
        // One warm-up fit: first-use allocations (e.g. TorchSharp's cached scalars) are not leaks.
        adapter.Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 3 }).Dispose();
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 8; i++)
        {
            foreach (var kind in new[] { PerturbationKinds.Network, PerturbationKinds.Free })
            {
                using var adapted = adapter.Fit(_fixture.Generator, target, new AdaptationOptions { Steps = 5, Kind = kind, Seed = i });
                using var image = adapted.Render();
            }
        }

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>A generator that cannot resume G_F part-way (as a host's own may not): fits run the whole G_F.</summary>
    private sealed class WholeLateOnly(ILayerSplitGenerator inner) : ILayerSplitGenerator
    {
        public int Resolution => inner.Resolution;

        public int LatentSize => inner.LatentSize;

        public string SplitLayer => inner.SplitLayer;

        public IReadOnlyList<string> LayerNames => inner.LayerNames;

        public FeatureShape RepresentationShape => inner.RepresentationShape;

        public IReadOnlyList<PerturbationPoint> PerturbationPoints => inner.PerturbationPoints;

        public Device Device => inner.Device;

        public Tensor Early(Tensor z, LayerHook? hook = null) => inner.Early(z, hook);

        public Tensor Late(Tensor r, LayerHook? hook = null) => inner.Late(r, hook);

        public IEnumerable<TorchSharp.Modules.Parameter> LateParameters() => inner.LateParameters();

        // The fixture owns the generator.
        public void Dispose()
        {
        }
    }
}

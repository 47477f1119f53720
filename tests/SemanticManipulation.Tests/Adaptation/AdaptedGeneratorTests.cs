using SemanticManipulation.Editing;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;
using SemanticManipulation.Imaging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Adaptation;

public sealed class AdaptedGeneratorTests : IDisposable
{
    private readonly AdaptationFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void States_saved_by_earlier_versions_load_and_render_as_they_did(string kind) =>
        AssertLoadsAndRendersAsSaved($"adapted_{kind}", kind, _fixture.Generator);

    [Fact]
    public void A_two_point_R_state_saved_in_format_version_2_loads_and_renders_as_it_did()
    {
        // Two perturbation points: R has two stages, the second fed by the first (the one-point fixtures have one).
        using var generator = ProGanGenerator.Load(Fixture.ProGan("progan32_zip.pth"),
            new ProGanOptions { Split = { PerturbationLayers = ["layer6", "layer8"] } });

        AssertLoadsAndRendersAsSaved("adapted_network_two_points", PerturbationKinds.Network, generator, "stage2.down.weight");
    }

    [Fact]
    public void A_format_version_2_R_state_of_a_generator_finer_than_64_loads_into_the_unfolded_stages_it_was_saved_with_and_stays_loadable()
    {
        // Before stages were folded, R ran a stage at every point's own resolution; such a state must still render,
        // also after it is saved again.
        using var generator = ProGanGenerator.Create(new ProGanArchitecture(8, [8, 8, 8, 8, 8, 4]), seed: 2,
            new ProGanOptions { Split = { PerturbationLayers = ["layer10", "layer12"] } });
        using var directory = Fixture.TempDirectory();
        var saved = directory.File("saved.safetensors");
        var version2 = directory.File("version2.safetensors");
        var resaved = directory.File("resaved.safetensors");
        using var scope = NewDisposeScope();
        var z = randn(1, 8, generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(3));
        var representation = generator.Early(z);
        var photo = ModelPhoto.From((generator.Generate(z) + 0.1).clamp(-1, 1), 128);
        using var adapted = new GeneratorAdapter(new UnfoldedNetworkFactory()).Fit(generator,
            new AdaptationTarget(photo, representation), new AdaptationOptions { Steps = 5, Seed = 4 });
        adapted.Save(saved);
        using (var state = StateDictReader.Read(saved))
        {
            var metadata = state.Metadata.ToDictionary(m => m.Key, m => m.Value.Replace("\"Version\":3", "\"Version\":2", StringComparison.Ordinal));
            SafeTensorsWriter.Write(version2, state.Tensors, metadata);
        }

        using var loaded = AdaptedGenerator.Load(version2, generator);
        loaded.Save(resaved);
        using var reloaded = AdaptedGenerator.Load(resaved, generator);

        Assert.Equal([1L, 32, 128, 128], loaded.Perturbation.get_buffer("noise")!.shape);
        Assert.True(loaded.Render().eq(adapted.Render()).all().item<bool>());
        Assert.True(reloaded.Render().eq(adapted.Render()).all().item<bool>());
        // The R this version builds for the generator folds the 128² stage: the state's layout is not its own.
        using var folded = new PerturbationNetworkFactory().Create(generator, PerturbationKinds.Network, 4);
        Assert.NotEqual(folded.get_buffer("noise")!.shape, loaded.Perturbation.get_buffer("noise")!.shape);
    }

    private sealed class UnfoldedNetworkFactory : IPerturbationNetworkFactory
    {
        public Perturbation Create(ILayerSplitGenerator generator, string kind, long seed) =>
            PerturbationNetwork.WithUnfoldedStages(generator.PerturbationPoints, seed, noiseChannels: 32);
    }

    /// <summary>Loads the fixture state <paramref name="name"/> for <paramref name="generator"/> and checks it renders its
    /// saved edit as it did when saved, and not as the plain generator.</summary>
    private static void AssertLoadsAndRendersAsSaved(string name, string kind, ProGanGenerator generator, params string[] stateKeys)
    {
        var folder = Path.Combine(Fixture.Root, "adaptation");
        using var adapted = AdaptedGenerator.Load(Path.Combine(folder, $"{name}.safetensors"), generator);
        using var expected = StateDictReader.Read(Path.Combine(folder, $"{name}_render.safetensors"));
        using var scope = NewDisposeScope();

        var render = adapted.Render(expected.Tensors["edited"]);

        Assert.Equal(kind, adapted.Perturbation.Kind);
        Assert.All(stateKeys, key => Assert.Contains(key, adapted.Perturbation.state_dict().Keys));
        Assert.True(render.allclose(expected.Tensors["render"], rtol: 0, atol: 1e-5));
        // The fitted δ matters: a state that loaded as zeros would render the plain generator.
        Assert.False(render.allclose(generator.Late(expected.Tensors["edited"]), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void The_preview_zeroes_delta_inside_the_mask_without_refitting()
    {
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
            new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), new AdaptationOptions { Steps = 60, Seed = 1 });
        using var scope = NewDisposeScope();
        var mask = AdaptationFixture.SquareMask();
        var edited = _fixture.EditedRepresentation(mask);

        var preview = adapted.RenderPreview(edited, mask);
        var full = adapted.Render(edited);
        var plain = _fixture.Generator.Late(edited);

        // This generator's only perturbation point (layer8) is at full resolution and the output block is per pixel,
        // so the preview is exactly G(r_e) inside the mask and exactly G'(r_e) outside it.
        var inside = mask.expand_as(preview).to(ScalarType.Bool);
        Assert.True(preview.masked_select(inside).allclose(plain.masked_select(inside), rtol: 0, atol: 1e-5));
        Assert.True(preview.masked_select(~inside).allclose(full.masked_select(~inside), rtol: 0, atol: 1e-5));
        Assert.False(preview.allclose(full, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Pasting_the_photo_back_keeps_it_outside_the_soft_mask()
    {
        using var scope = NewDisposeScope();
        var mask = AdaptationFixture.SquareMask();
        var edited = _fixture.EditedRepresentation(mask);
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
            new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, StrokeMask.FromTensor(mask, 32), edited), new AdaptationOptions { Steps = 10 });

        var pasted = adapted.PastePhoto(adapted.Render(edited));

        Assert.Equal(_fixture.Photo[0, 0, 0, 0].item<float>(), pasted[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(adapted.Render(edited)[0, 0, 14, 16].item<float>(), pasted[0, 0, 14, 16].item<float>(), 5);
    }

    [Theory]
    [InlineData(PerturbationKinds.Network)]
    [InlineData(PerturbationKinds.Free)]
    public void A_saved_state_loads_back_and_renders_identically(string kind)
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("state.safetensors");
        using var scope = NewDisposeScope();
        var mask = AdaptationFixture.SquareMask();
        using var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
            new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation, StrokeMask.FromTensor(mask, 32)),
            new AdaptationOptions { Steps = 15, Kind = kind, Mode = PerturbationMode.Additive, Seed = 9, TargetKeptPsnrDb = 55.5 });

        adapted.Save(path);
        using var loaded = AdaptedGenerator.Load(path, _fixture.Generator);

        Assert.Equal(kind, loaded.Perturbation.Kind);
        Assert.Equal(PerturbationMode.Additive, loaded.Options.Mode);
        Assert.Equal(55.5, loaded.Options.TargetKeptPsnrDb);
        var schedule = loaded.Options.Schedule!;   // the one the fit followed: the kind's own
        Assert.Equal((adapted.Perturbation.DefaultSchedule.PeakFactor, adapted.Perturbation.DefaultSchedule.WarmupFraction, adapted.Perturbation.DefaultSchedule.DecayFraction),
            (schedule.PeakFactor, schedule.WarmupFraction, schedule.DecayFraction));
        Assert.Equal(adapted.Metrics, loaded.Metrics);
        Assert.True(loaded.Render().eq(adapted.Render()).all().item<bool>());
        Assert.True(loaded.EditMask!.eq(mask).all().item<bool>());
        Assert.True(loaded.Photo.eq(_fixture.Photo).all().item<bool>());
        Assert.Equal([path], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void A_state_with_non_finite_values_is_refused_naming_the_file_and_the_tensor()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("state.safetensors");
        using (var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
                   new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), new AdaptationOptions { Steps = 2 }))
        {
            adapted.Save(path);
        }

        var corrupt = directory.File("corrupt.safetensors");
        using (var state = StateDictReader.Read(path))
        using (var scope = NewDisposeScope())
        {
            var tensors = state.Tensors.ToDictionary(t => t.Key, t => t.Value.clone());
            var victim = tensors.Keys.Where(k => k.StartsWith("perturbation.", StringComparison.Ordinal) && tensors[k].is_floating_point()).Order(StringComparer.Ordinal).First();
            tensors[victim].view(-1)[0] = tensor(float.NaN);
            SafeTensorsWriter.Write(corrupt, tensors, state.Metadata);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => AdaptedGenerator.Load(corrupt, _fixture.Generator));

        Assert.StartsWith("corrupt.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 1 NaN value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_for_another_generator_is_refused_with_what_differs()
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("state.safetensors");
        using (var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
                   new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), new AdaptationOptions { Steps = 2 }))
        {
            adapted.Save(path);
        }

        using var other = ProGanGenerator.Create(new ProGanArchitecture(32, [32, 32, 32, 16, 8]), seed: 1);

        var error = Assert.Throws<CheckpointFormatException>(() => AdaptedGenerator.Load(path, other));

        Assert.Contains("32×32", error.Message, StringComparison.Ordinal);
        Assert.Contains("64×64", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> DamagedStates => new()
    {
        { "metadata:{ not json", "the adapted-generator metadata is not valid JSON" },
        { "metadata:{\"Version\": 2}", "the adapted-generator metadata is incomplete" },
        { "mode:Sideways", "unknown perturbation mode 'Sideways'" },
        { "tensor:representation", "'representation' has shape [1, 3]; this generator needs [" },
        { "tensor:photo", "'photo' has shape [1, 3]; this generator needs [1, 3, " },
    };

    [Theory]
    [MemberData(nameof(DamagedStates))]
    public void A_state_with_damaged_metadata_or_a_misshapen_tensor_is_refused_as_a_bad_file(string damage, string expected)
    {
        using var directory = Fixture.TempDirectory();
        var path = directory.File("state.safetensors");
        using (var adapted = new GeneratorAdapter().Fit(_fixture.Generator,
                   new AdaptationTarget(_fixture.ModelPhoto, _fixture.Representation), new AdaptationOptions { Steps = 2 }))
        {
            adapted.Save(path);
        }

        var damaged = directory.File("damaged.safetensors");
        using (var state = StateDictReader.Read(path))
        using (var scope = NewDisposeScope())
        {
            var tensors = state.Tensors.ToDictionary(t => t.Key, t => t.Value.clone());
            var metadata = state.Metadata.ToDictionary(m => m.Key, m => m.Value);
            const string description = "semantic_manipulation.adapted_generator";
            var (what, value) = (damage.Split(':', 2)[0], damage.Split(':', 2)[1]);
            switch (what)
            {
                case "metadata":
                    metadata[description] = value;
                    break;
                case "mode":
                    metadata[description] = metadata[description].Replace("\"Multiplicative\"", $"\"{value}\"", StringComparison.Ordinal);
                    break;
                default:
                    tensors[value] = zeros(1, 3);
                    break;
            }

            SafeTensorsWriter.Write(damaged, tensors, metadata);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => AdaptedGenerator.Load(damaged, _fixture.Generator));

        Assert.StartsWith("damaged.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generator_checkpoint_is_not_mistaken_for_a_state()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => AdaptedGenerator.Load(Fixture.ProGan("progan32.safetensors"), _fixture.Generator));

        Assert.Contains("not an adapted-generator state", error.Message, StringComparison.Ordinal);
    }
}

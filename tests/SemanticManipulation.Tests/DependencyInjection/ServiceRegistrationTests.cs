using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Generators;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.DependencyInjection;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void Default_generator_loads_from_the_configured_checkpoint()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSemanticManipulation(o => o.GeneratorPath = Fixture.ProGan("progan32.safetensors"));
        using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<ILayerSplitGenerator>();

        Assert.IsType<ProGanGenerator>(generator);
        Assert.Equal(32, generator.Resolution);
        Assert.Same(generator, provider.GetRequiredService<ILayerSplitGenerator>());
    }

    [Fact]
    public void A_bundle_configured_by_path_is_split_where_its_manifest_says_unless_the_host_sets_a_split()
    {
        using var directory = Fixture.TempDirectory();
        using (var generator = ProGanGenerator.Load(Fixture.ProGan("progan32.safetensors")))
        {
            generator.Save(directory.File("generator.safetensors"));
        }

        SemanticManipulation.Bundles.ModelBundle.WriteManifest(directory.Path, new SemanticManipulation.Bundles.ModelBundleManifest
        {
            Name = "split-at-layer3",
            Generator = "generator.safetensors",
            SplitLayer = "layer3",
        });

        string SplitWith(string? splitLayer)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddSemanticManipulation(o =>
            {
                o.BundlePath = directory.Path;
                o.Generator.ClampOutput = true;   // other generator options do not take the split from the manifest
                if (splitLayer is not null)
                {
                    o.Generator.Split.SplitLayer = splitLayer;
                }
            });
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<ILayerSplitGenerator>().SplitLayer;
        }

        Assert.Equal("layer3", SplitWith(null));
        Assert.Equal("layer2", SplitWith("layer2"));
    }

    [Fact]
    public void A_host_registration_made_first_wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILayerSplitGenerator, TinyHostGenerator>();
        services.AddSemanticManipulation(o => o.GeneratorPath = "ignored.pth");
        using var provider = services.BuildServiceProvider();

        Assert.IsType<TinyHostGenerator>(provider.GetRequiredService<ILayerSplitGenerator>());
    }

    [Fact]
    public void The_builder_swaps_in_a_host_generator_that_the_pipeline_can_run()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation().UseGenerator<TinyHostGenerator>();
        using var provider = services.BuildServiceProvider();
        using var scope = NewDisposeScope();

        var generator = provider.GetRequiredService<ILayerSplitGenerator>();
        var image = generator.Generate(randn(2, generator.LatentSize));

        Assert.IsType<TinyHostGenerator>(generator);
        Assert.Equal([2, 3, 16, 16], image.shape);
    }

    [Fact]
    public void Without_a_checkpoint_the_error_says_what_to_configure()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ILayerSplitGenerator>());

        Assert.Contains(nameof(SemanticManipulationOptions.GeneratorPath), error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host's own (non-ProGAN) generator: a linear map to 4×4 features, then two upsampling convs.</summary>
    private sealed class TinyHostGenerator : ILayerSplitGenerator
    {
        private readonly Linear _project = nn.Linear(8, 16 * 4 * 4);
        private readonly Conv2d _refine = nn.Conv2d(16, 8, 3, padding: 1);
        private readonly Conv2d _toRgb = nn.Conv2d(8, 3, 3, padding: 1);

        public int Resolution => 16;

        public int LatentSize => 8;

        public string SplitLayer => "project";

        public IReadOnlyList<string> LayerNames => ["project", "refine", "rgb"];

        public FeatureShape RepresentationShape => new(16, 4, 4);

        public IReadOnlyList<PerturbationPoint> PerturbationPoints => [new("refine", new(8, 8, 8))];

        public Device Device => CPU;

        public Tensor Early(Tensor z, LayerHook? hook = null)
        {
            var r = _project.forward(z).view(-1, 16, 4, 4);
            return hook is null ? r : hook("project", r);
        }

        public Tensor Late(Tensor r, LayerHook? hook = null)
        {
            var x = nn.functional.relu(_refine.forward(nn.functional.interpolate(r, scale_factor: [2.0, 2.0])));
            x = hook is null ? x : hook("refine", x);
            return _toRgb.forward(nn.functional.interpolate(x, scale_factor: [2.0, 2.0])).tanh();
        }

        public IEnumerable<Parameter> LateParameters() => _refine.parameters().Concat(_toRgb.parameters());

        public void Dispose()
        {
            _project.Dispose();
            _refine.Dispose();
            _toRgb.Dispose();
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.FeatureLosses;
using SemanticManipulation.Inversion;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Inversion;

public sealed class InversionServicesTests
{
    [Fact]
    public void The_inverter_uses_the_configured_encoder_and_on_request_the_packaged_resnet()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation(o =>
        {
            o.GeneratorPath = Fixture.ProGan("progan32_zip.pth");
            o.EncoderPath = Path.Combine(Fixture.Root, "encoder", "hybrid_encoder_authors.pth");
        }).UseResNet18FeatureLoss();
        using var provider = services.BuildServiceProvider();

        var inverter = provider.GetRequiredService<IImageInverter>();
        Assert.IsType<ResNet18FeatureLoss>(provider.GetRequiredService<IFeatureLoss>());
        using var scope = NewDisposeScope();
        var generator = provider.GetRequiredService<ILayerSplitGenerator>();
        using var result = inverter.Invert(generator, zeros(1, 3, 32, 32), new InversionOptions { Steps = 2 });

        Assert.Equal(InversionStart.Encoder, result.Metrics.Start);
        Assert.False(double.IsNaN(result.Metrics.PerceptualDistance));
    }

    [Fact]
    public void Hosts_can_invert_pixel_only_and_bring_their_own_encoder()
    {
        var services = new ServiceCollection();
        services.AddSemanticManipulation(o => o.GeneratorPath = Fixture.ProGan("progan32_zip.pth"))
            .UsePixelOnlyInversion()
            .UseEncoder(provider => HybridEncoder.Create(provider.GetRequiredService<ILayerSplitGenerator>(), new HybridEncoderOptions { TrunkWidth = 4 }));
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IFeatureLoss>());
        using var scope = NewDisposeScope();
        using var result = provider.GetRequiredService<IImageInverter>().Invert(provider.GetRequiredService<ILayerSplitGenerator>(),
            zeros(1, 3, 32, 32), new InversionOptions { Steps = 2 });

        Assert.Equal(InversionStart.Encoder, result.Metrics.Start);
        Assert.True(double.IsNaN(result.Metrics.PerceptualDistance));
    }
}

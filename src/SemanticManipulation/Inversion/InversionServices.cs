using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SemanticManipulation.FeatureLosses;

namespace SemanticManipulation.Inversion;

/// <summary>
/// Registers inversion's default parts: φ (the package's ResNet-18, loaded on first use), the encoder from
/// <see cref="SemanticManipulationOptions.EncoderPath"/> when set, and the <see cref="ImageInverter"/> that uses them.
/// A host's own <see cref="IRepresentationEncoder"/>, <see cref="IFeatureLoss"/> or <see cref="IImageInverter"/> wins.
/// </summary>
internal static class InversionServices
{
    public static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<IFeatureLoss>(CreateFeatureLoss);
        services.TryAddSingleton<DefaultEncoder>();
        services.TryAddSingleton<IImageInverter>(CreateInverter);
    }

    private static ResNet18FeatureLoss CreateFeatureLoss(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SemanticManipulationOptions>>().Value;
        var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        return ResNet18FeatureLoss.Load(options.FeatureLoss, loggerFactory.CreateLogger<ResNet18FeatureLoss>());
    }

    private static ImageInverter CreateInverter(IServiceProvider provider)
    {
        var encoder = provider.GetService<IRepresentationEncoder>() ?? provider.GetRequiredService<DefaultEncoder>().Encoder;
        var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        return new ImageInverter(encoder, provider.GetService<IFeatureLoss>(), loggerFactory.CreateLogger<ImageInverter>());
    }

    /// <summary>The encoder loaded from <see cref="SemanticManipulationOptions.EncoderPath"/>, if any; the container
    /// disposes it.</summary>
    internal sealed class DefaultEncoder : IDisposable
    {
        public DefaultEncoder(IOptions<SemanticManipulationOptions> options, IServiceProvider provider)
        {
            var path = options.Value.EncoderPath;
            if (!string.IsNullOrWhiteSpace(path))
            {
                var loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
                Encoder = HybridEncoder.Load(path, provider.GetRequiredService<ILayerSplitGenerator>(),
                    logger: loggerFactory.CreateLogger<HybridEncoder>());
            }
        }

        public HybridEncoder? Encoder { get; }

        public void Dispose() => Encoder?.Dispose();
    }
}

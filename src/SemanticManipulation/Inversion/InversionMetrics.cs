namespace SemanticManipulation.Inversion;

/// <summary>How well an inversion reproduced the photo.</summary>
/// <param name="InitialPsnrDb">PSNR of the starting guess's reconstruction.</param>
/// <param name="PsnrDb">PSNR of the final reconstruction G_F(r*).</param>
/// <param name="Ssim">SSIM of the final reconstruction.</param>
/// <param name="PerceptualDistance">Perceptual distance on φ's features (<see cref="Metrics.ImageMetrics.PerceptualDistance"/>);
/// NaN when inverting pixel-only without a feature network.</param>
/// <param name="Steps">Refinement steps run.</param>
/// <param name="Seconds">Wall time, including the encoder's guess.</param>
/// <param name="StoppedEarly">Whether the target PSNR or the patience stopped refinement before the budget.</param>
/// <param name="Start">Where refinement's guess came from.</param>
/// <param name="Guess">Whether that guess was a latent or a representation.</param>
public sealed record InversionMetrics(
    double InitialPsnrDb,
    double PsnrDb,
    double Ssim,
    double PerceptualDistance,
    int Steps,
    double Seconds,
    bool StoppedEarly,
    InversionStart Start,
    StartGuess Guess);

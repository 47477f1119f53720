namespace SemanticManipulation.Adaptation;

/// <summary>How well a fit reproduced the photo.</summary>
/// <param name="PsnrBeforeDb">PSNR of the un-adapted G(r_e) on the kept pixels.</param>
/// <param name="PsnrAfterDb">PSNR of the fitted G'(r_e) on the kept pixels.</param>
/// <param name="Steps">Steps run; when the target PSNR stopped the fit, the last of them found G' at the target and
/// left it as it was.</param>
/// <param name="Seconds">Wall time of the fit.</param>
/// <param name="StoppedEarly">Whether the target PSNR stopped the fit before the budget.</param>
public sealed record AdaptationMetrics(double PsnrBeforeDb, double PsnrAfterDb, int Steps, double Seconds, bool StoppedEarly);

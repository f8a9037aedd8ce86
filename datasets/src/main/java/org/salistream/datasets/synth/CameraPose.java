package org.salistream.datasets.synth;

/**
 * The endoscope tip for one frame: position, an orthonormal frame (image right, image down, viewing
 * direction) and the lens's angular scale (radians of view per pixel of distance from the image centre:
 * an equidistant fisheye, as wide-angle colonoscopes roughly are).
 */
public record CameraPose(Vec3 position, Vec3 right, Vec3 down, Vec3 forward, double radiansPerPixel) {}

// The only globals the viewer's renderer adapter uses (viz/renderers.js).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeLineProgram, NodeCircleProgram } from "sigma/rendering";

window.graphology = { Graph };
window.Sigma = Sigma;
// EdgeLineProgram: 1-pixel GL_LINES edges, the cheapest edge program for software WebGL.
// NodeCircleProgram: sigma's default disc, re-declared without instancing in renderers.js
// (software WebGL pays ~50 µs per instance: 1 s a frame at 20k nodes).
window.SigmaPrograms = { EdgeLineProgram, NodeCircleProgram };

// The only globals the viewer's renderer adapter uses (viz/renderers.js).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeLineProgram } from "sigma/rendering";

window.graphology = { Graph };
window.Sigma = Sigma;
// 1-pixel GL_LINES edges: the cheapest edge program for software WebGL
window.SigmaPrograms = { EdgeLineProgram };

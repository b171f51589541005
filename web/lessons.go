package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// A lesson is one step of the lecture (../shared/lecture-transcript.txt):
// the view that teaches it, its title, the slides it covers, its point in
// plain words, and prompts that try it. The lecture is this list, in the
// slides' order: the navigation, the previous/next links and presenter
// mode's arrow keys all read it.
type lesson struct {
	ID     string // the view's page id, as page() is given it
	Path   string
	Title  string
	Slides string // "slides 3–6"
	Point  string // the slide's point, in one or two plain sentences
	Tries  []try
}

// try is a "Try this" prompt: what to do, and what the person will see.
type try struct{ Do, See string }

// lecture is the lesson order. The GAN lesson, the other example of
// slide 21, follows the VAE lessons.
var lecture = []lesson{
	{ID: "perceptron", Path: "/perceptron", Title: "Decisions and the perceptron", Slides: "slides 3–6",
		Point: "A decision from three yes/no facts is a plane through the cube of their eight combinations: Y = step(x·w + b) says go on one side of it and stay on the other. Learning is moving the plane until every corner is on its right side.",
		Tries: []try{
			{"Pick the preset “Y = x₁: go if the weather is good” and press Run the rule.", "The mistakes per epoch fall to 0 within a few epochs: the rule settles with all eight rows right, the plane between the go and the stay corners."},
			{"Pick XOR and run the rule.", "It never settles: no plane separates the go corners from the stay ones, and the lab says the table is not linearly separable."},
			{"Drag the cube (or use the arrow keys on it) to turn it.", "The plane and the eight labelled corners turn together; the decision for each corner does not change."},
		}},
	{ID: "activations", Path: "/activations", Title: "Activation functions", Slides: "slide 7",
		Point: "A step jumps from 0 to 1 at the boundary; a sigmoid answers near 0.5 close to it and like the step far from it, so small changes of the weights change its output a little — what gradient descent needs. tanh, ReLU, leaky ReLU and maxout are other shapes of the same idea.",
		Tries: []try{
			{"Move the bias slider.", "All six heat maps redraw with their boundary shifted together: the weights and the bias are shared by all six neurons."},
			{"Compare step with sigmoid near the boundary.", "The step's map is two flat colours with a hard edge; the sigmoid's fades through grey along the same line."},
		}},
	{ID: "network", Path: "/network", Title: "Networks of neurons", Slides: "slides 8–9, 13",
		Point: "One perceptron draws one straight boundary, which cannot separate XOR, let alone the digits in a 28×28 image. Layers of neurons build features from features, and the last layer only has a simple decision left.",
		Tries: []try{
			{"Press Train.", "On the circles, two layers of four tanh units learn a round boundary: the test accuracy climbs above 0.9 while each hidden unit's picture, in its square of the network, shows the simpler boundary it contributes."},
			{"Choose XOR, remove the hidden layers with − and train.", "The test accuracy stays near a half: one straight line cannot split XOR. Add a layer with + (four units) and it climbs towards 1."},
			{"Choose Spirals and train; then tick sin πx₁ and sin πx₂ and train again.", "From x₁ and x₂ alone the two layers of four units stall short of 80% of the test points right. Given the sines as well, the same network passes 95% within a few hundred epochs: the right features spare the network work."},
			{"Scroll down to What each layer sees.", "2,000 MNIST test digits at the pixels, after each hidden layer of the MNIST classifier and at its output: the digits' colours, mixed at the pixels, part after each hidden layer, and the nearest-neighbour accuracy under the pictures rises with them, from about 40% to 85%."},
		}},
	{ID: "descent", Path: "/descent", Title: "How networks learn", Slides: "slides 10–12",
		Point: "Training is search: the loss is a surface over the weights, and gradient descent walks downhill from where it starts. Set beside the search algorithms of the course, it is hill climbing that knows which way is down.",
		Tries: []try{
			{"Click a new start on the loss surface.", "Every method sets off from that point, and the table counts the steps and loss or gradient evaluations each needs to get within the tolerance of the minimum."},
			{"Pick Rosenbrock's valley, switch off the two searches and press Play.", "The paths grow step by step: the three gradient methods fall into the curved valley within a few steps, then crawl along its floor towards the minimum at (1, 1)."},
		}},
	{ID: "classifier", Path: "/classifier", Title: "Why neural networks: MNIST", Slides: "slide 13",
		Point: "A network learns its own features from the pixels, where another classifier would need them engineered by hand. Its first layer's weights, seen as images, are the strokes it looks for.",
		Tries: []try{
			{"Draw a digit on the pad.", "The ten bars show the classifier's probabilities, the most likely digit named above them."},
			{"Press Compute it for this model, then click an orange cell.", "The test digits behind that mistake appear: many are digits a person could misread too."},
		}},
	{ID: "autoencoders", Path: "/autoencoders", Title: "Autoencoders", Slides: "slides 14–16",
		Point: "An autoencoder squeezes its input through a bottleneck — 28×28 pixels down to 20 numbers — and rebuilds the input from those alone, so the 20 must keep what matters. Like a photograph (3-D to 2-D) and a 3-D print made from it.",
		Tries: []try{
			{"Draw a digit.", "Its 20-number code appears as bars, and the decoder's rebuild from those 20 numbers alone appears beside your drawing."},
			{"Draw a digit nothing like the training digits (a star, say).", "The rebuild turns it into the nearest digit the autoencoder knows: the code only has room for digits."},
		}},
	{ID: "linear-ae", Path: "/linear-ae", Title: "The linear autoencoder", Slides: "slides 17–18",
		Point: "With no activation, the encoder is a matrix V (K×D) and the decoder a matrix U (D×K): x̂ = U·V·x. Learning U and V by gradient descent on |x̂ − x|² finds the plane that PCA finds.",
		Tries: []try{
			{"Press Play.", "U and V change as they learn; the loss falls towards the dashed line of PCA's plane, and the angle between the learnt plane and PCA's drops below 2° within the 500 iterations."},
			{"Press Reset, then Play, a few times.", "Every start ends on the same plane, each time with different numbers in U and V: the plane is learnt, not the matrices."},
			{"Pick “Nearly a line” and press Play a few times.", "The loss drops as soon as the line is found, then creeps; the plane turns about the line slowly, for the points barely say which plane they lie in, and the angle takes several runs to fall below 2°."},
			{"Draw a digit.", "The linear autoencoder and PCA with 20 components rebuild it alike, with nearly the same error; the deep autoencoder's rebuild is sharper, with a far smaller error."},
		}},
	{ID: "why-ae", Path: "/why-autoencoders", Title: "Why autoencoders", Slides: "slide 19",
		Point: "Codes learnt without labels are useful: they map digits to two dimensions for a look, compress them, and make features that a classifier can learn from with very few labels.",
		Tries: []try{
			{"Wait for the two bars.", "Softmax regression from 100 labelled digits does better on the VAE's 20-number codes than on the raw pixels."},
		}},
	{ID: "limits", Path: "/limits", Title: "The limits of autoencoders", Slides: "slide 20",
		Point: "A plain autoencoder is not a generative model: nothing says where its codes lie, so a random code decodes to nonsense. And the latent size is a choice: too small loses detail, too large stops compressing.",
		Tries: []try{
			{"Look at the eight z from N(0, I) decoded by each model.", "The VAE turns each into a digit; the plain autoencoder's are blurred into one another, because its codes do not fill N(0, I)."},
			{"Press Train the five autoencoders.", "The test error falls as K grows, fast at first and then slowly, beside PCA's with as many components."},
		}},
	{ID: "generative", Path: "/generative", Title: "Generative models", Slides: "slide 21",
		Point: "A generative model is a function X = G(z): give it a code z drawn from a simple distribution and it makes a new X. The VAE's decoder is such a G.",
		Tries: []try{
			{"Press New samples.", "Sixty-four new digits appear, each G(z) of a fresh z ~ N(0, I): none of them was in the training set."},
			{"Lower the temperature to 0.3.", "The digits become cleaner and more alike: z stays near the centre of the distribution."},
		}},
	{ID: "vae", Path: "/vae", Title: "VAE against AE", Slides: "slides 22–23",
		Point: "A VAE's encoder gives each digit a distribution — a mean and a spread — not a point. Its codes fill one round cloud, so any z from the prior lands among digits.",
		Tries: []try{
			{"Draw a digit.", "Its code appears on the VAE's map with an ellipse: ±2σ of q(z|x), the region the digit could be decoded from."},
			{"Move the pointer over an empty part of each map.", "The VAE decodes a digit everywhere inside its cloud; the plain autoencoder's gaps decode to blurs."},
		}},
	{ID: "elbo", Path: "/elbo", Title: "How a VAE learns", Slides: "slides 24–25",
		Point: "A VAE maximises the ELBO: the reconstruction term rewards rebuilding x from z ~ q(z|x), and the KL term keeps q(z|x) close to the prior N(0, I). β weighs the two.",
		Tries: []try{
			{"Press Train at β = 1.", "A point joins the two curves: the reconstruction and the KL, in nats a digit, and the test digits rebuilt at that β."},
			{"Set β to 30 and train.", "The KL falls to 0 and every latent dimension goes quiet: the posterior collapses onto the prior, and every digit is rebuilt as the same blur."},
			{"Press Train at η = 0.01, 0.1 and 1.", "The same VAE with the slide's Gaussian p(x|z) = N(x; G(z), η·I) at three η: as η grows the KL falls, the rebuilds blur, and the samples turn from mottled blends into smooth, blurred digits."},
		}},
	{ID: "reparam", Path: "/reparam", Title: "The reparameterisation trick", Slides: "slide 26",
		Point: "Backpropagation cannot pass through a random draw. Writing z = μ + σ·ε with ε ~ N(0, I) makes z a function of μ and σ, so the gradient reaches the encoder.",
		Tries: []try{
			{"Switch the trick off.", "The gradient's path stops at the sample: the encoder gets nothing."},
			{"Compare the two histograms.", "The pathwise estimates of ∂E[L]/∂μ cluster tightly; the score-function ones, all there is without the trick, spread far wider."},
		}},
	{ID: "cvae", Path: "/cvae", Title: "The class-conditional VAE", Slides: "slide 27",
		Point: "A conditional VAE is told the digit's class, in the encoder and in the decoder. Its code z no longer has to say which digit it is, so it keeps the style: the slant, the thickness, the loops.",
		Tries: []try{
			{"Drag the z₁ slider from one end to the other.", "All ten digits change together, in slant, width and stroke, and each stays the digit its label names: the classifier's reading under each agrees."},
			{"Draw a digit on the pad.", "Your drawing's z, decoded with each of the ten labels, writes all ten digits in your hand: a slanted 7 gives slanted digits 0 to 9."},
			{"Compare the two maps and the bars under them.", "vae-2's colours gather in regions of their own, and a code's 5 nearest neighbours mostly name its class; cvae-2's colours lie on top of one another, and its neighbours do little better than chance."},
			{"Tap a point on cvae-2's map.", "The white cross and z move there, and the row of ten shows that place's style as every digit: in cvae-2 a place is a style, not a class."},
		}},
	{ID: "gan", Path: "/gan", Title: "Generative adversarial networks", Slides: "slide 21",
		Point: "A GAN's generator G turns noise z into points with no encoder at all: a second network, the discriminator D, learns to tell G's points from the data's, and G learns to fool it. Left alone, G can sit on a few of the data's modes and miss the rest — mode collapse; letting D see how spread out a batch is makes a tight batch give itself away, and G spreads out to all of them.",
		Tries: []try{
			{"On the ring of eight, press Train: it pauses at step 1,000.", "Most of G's orange points still lie between the blue blobs, and few reach them: the readout says 1 of 8 modes covered. The arrows show D's gradient pulling G's points towards where D currently says real, all of them together rather than apart."},
			{"Tick the remedy (D sees the batch's spread): the run starts over. Press Train again.", "By step 1,000 the orange points lie round the whole ring and the readout says 8 of 8: a collapsed batch is far tighter than a real one, so D can tell it apart whatever mode it sits on. Try seeds 2 to 4: without the remedy they reach 5, 7 and 6 modes by step 1,000, with it all reach 8."},
			{"Pick Two moons or Your own points (click the plane to place some) and train.", "The heat map turns blue where D believes points are real; G's points follow the arrows into those regions until D can no longer tell, and its loss settles near 2 ln 2."},
		}},
}

// lessonOf is the lesson a page id teaches, and its index (−1 for none).
func lessonOf(id string) (lesson, int) {
	i := slices.IndexFunc(lecture, func(l lesson) bool { return l.ID == id })
	if i < 0 {
		return lesson{}, -1
	}
	return lecture[i], i
}

// playgroundViews are the views for free use, outside the lecture's order.
var playgroundViews = []struct{ ID, Path, Title string }{
	{"playground", "/", "Draw & rebuild"},
	{"generate", "/generate", "Generate"},
	{"latent", "/latent", "Latent map"},
	{"interpolate", "/interpolate", "Interpolate"},
	{"vae-vs-gan", "/vae-vs-gan", "VAE vs GAN"},
	{"train", "/train", "Train"},
}

// presenting is the lecture's display state, read from the URL's query:
// "present" projects (large type, a light theme, arrow keys move between
// lessons), "hide" names parts of the page to hide (as TensorFlow
// Playground's *_hide flags do). Links along the lecture carry it.
type presenting struct {
	On   bool
	Hide []string
}

// hideable are the parts "hide" may name, each a class of the page.
var hideable = []string{"controls", "intro", "try", "nav", "captions", "status"}

// parsePresenting reads the query of a URL.
func parsePresenting(query string) presenting {
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return presenting{}
	}
	p := presenting{On: q.Has("present") && q.Get("present") != "0"}
	for _, h := range strings.Split(q.Get("hide"), ",") {
		if h = strings.TrimSpace(h); slices.Contains(hideable, h) && !slices.Contains(p.Hide, h) {
			p.Hide = append(p.Hide, h)
		}
	}
	return p
}

// query is the part of a URL that keeps p ("" when there is nothing to
// keep).
func (p presenting) query() string {
	q := url.Values{}
	if p.On {
		q.Set("present", "1")
	}
	if len(p.Hide) > 0 {
		q.Set("hide", strings.Join(p.Hide, ","))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + strings.ReplaceAll(q.Encode(), "%2C", ",")
}

// classes are the page's classes for p.
func (p presenting) classes() string {
	c := "shell"
	if p.On {
		c += " present"
	}
	for _, h := range p.Hide {
		c += " hide-" + h
	}
	return c
}

// toggled is p with presenter mode switched.
func (p presenting) toggled() presenting {
	p.On = !p.On
	return p
}

// lessonNumber is how a lesson is named in the navigation and its line.
func lessonNumber(i int) string { return fmt.Sprintf("%d", i+1) }

package main

// The article texts below were written for trawl's test set; they are
// released with it (see ../SOURCES.md).

type body struct {
	name, title, lang string
	html              string
	with              []string
}

var bodies = []body{
	{
		name: "chain", title: "How to Keep a Bicycle Chain Running Quietly", lang: "en",
		html: `<p>A chain that squeaks is a chain that is wearing out faster than it should. The good news is that <em>most</em> of the noise comes from two causes, dirt and dry rollers, and both take ten minutes to fix.</p>
<h2>Clean before you oil</h2>
<p>Oil on a dirty chain turns into grinding paste. Wipe the chain with a rag while you turn the cranks backwards, and use a brush on the cassette if grit has packed between the cogs. A <a href="/guides/degreaser">mild degreaser</a> helps, but dish soap and warm water do the job for a commuter bike.</p>
<h2>Oil the rollers, not the plates</h2>
<p>Put one drop on each roller, on the inside of the lower run, and let it soak in for a few minutes. Then wipe the outside of the chain dry: oil on the side plates only collects dust.</p>
<ul>
<li>Use a wet lubricant in rainy months.</li>
<li>Use a dry, wax-based lubricant in summer.</li>
<li>Never use cooking oil, which goes sticky within days.</li>
</ul>
<h2>Know when to replace it</h2>
<p>A chain stretches as its pins wear. When a chain checker shows 0.5 percent wear on an eleven-speed drivetrain, replace the chain before it starts eating the cassette, which costs four times as much.</p>`,
		with: []string{"a chain that is wearing out faster than it should", "Oil on a dirty chain turns into grinding paste.", "Use a dry, wax-based lubricant in summer.", "which costs four times as much."},
	},
	{
		name: "ferry", title: "Harbour Ferry Resumes Night Service", lang: "en",
		html: `<p>The harbour ferry between the old pier and the island resumed its night service on Monday after a three-month pause caused by repairs to the landing stage.</p>
<p>Boats now leave every forty minutes until half past midnight, and the operator said the timetable would be reviewed in spring once passenger counts for the winter were known.</p>`,
		with: []string{"resumed its night service on Monday", "once passenger counts for the winter were known."},
	},
	{
		name: "packing", title: "A Packing List for a Three-Day Hut Trek", lang: "en",
		html: `<p>Huts provide blankets and dinner, so the pack can stay light. This is the list we have refined over six summers in the Alps.</p>
<h2>Clothing</h2>
<ul>
<li>One pair of trekking trousers, worn on the trail</li>
<li>Two merino shirts
<ul><li>one for walking</li><li>one kept dry for the hut</li></ul>
</li>
<li>A fleece and a waterproof shell</li>
<li>Hut slippers are usually provided; a pair of light socks is enough</li>
</ul>
<h2>Equipment</h2>
<ol>
<li>A 30-litre pack with a rain cover</li>
<li>A silk sleeping-bag liner, which most huts require</li>
<li>Headlamp with fresh batteries</li>
<li>Paper map of the route, because phone batteries die in the cold</li>
</ol>
<h2>Food and water</h2>
<p>Carry lunch for each day and two litres of water. Huts sell drinks, but the first one may be six hours away.</p>`,
		with: []string{"Huts provide blankets and dinner", "one kept dry for the hut", "A silk sleeping-bag liner, which most huts require", "because phone batteries die in the cold", "the first one may be six hours away."},
	},
	{
		name: "sourdough", title: "Why Your Sourdough Starter Smells Like Nail Polish", lang: "en",
		html: `<p>Open a jar of neglected starter and you may be hit by a sharp smell of acetone. It is alarming, but it is not a sign that the culture has died.</p>
<p>The smell comes from the yeast running out of food. When the flour is used up, the microbes produce ethyl acetate and other volatile compounds, and a grey liquid, often called <strong>hooch</strong>, collects on top.</p>
<blockquote><p>A hungry starter is not a dead starter. Feed it twice and it will usually smell of yoghurt again.</p></blockquote>
<p>To bring it back, pour off the liquid, keep a spoonful of the starter, and feed it with equal weights of flour and water every twelve hours for two days. If pink or orange streaks appear, however, throw it away: that is contamination, not hunger.</p>`,
		with: []string{"a sharp smell of acetone", "the microbes produce ethyl acetate", "A hungry starter is not a dead starter.", "If pink or orange streaks appear"},
	},
	{
		name: "gotimeout", title: "Timeouts for Outgoing HTTP Requests in Go", lang: "en",
		html: `<p>The default <code>http.Client</code> has no timeout at all. A server that accepts the connection and then never answers will hold the goroutine forever.</p>
<h2>Set a client timeout</h2>
<p>The simplest fix bounds the whole exchange, from dialing to reading the last byte of the body:</p>
<pre><code class="language-go">client := &amp;http.Client{Timeout: 10 * time.Second}
resp, err := client.Get(url)
if err != nil {
	return err
}
defer resp.Body.Close()
</code></pre>
<h2>Or use a context per request</h2>
<p>When each call needs its own deadline, attach a context instead:</p>
<pre><code class="language-go">ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
defer cancel()
req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
</code></pre>
<table>
<thead><tr><th>Setting</th><th>Bounds</th></tr></thead>
<tbody>
<tr><td>Client.Timeout</td><td>the whole request, body included</td></tr>
<tr><td>Transport.ResponseHeaderTimeout</td><td>waiting for the response headers</td></tr>
<tr><td>context deadline</td><td>one request, cancellable early</td></tr>
</tbody>
</table>`,
		with: []string{"has no timeout at all", "client := &http.Client{Timeout: 10 * time.Second}", "ctx, cancel := context.WithTimeout(ctx, 5*time.Second)", "waiting for the response headers"},
	},
	{
		name: "remote", title: "Four Years of Working From a Village", lang: "en",
		html: `<p>When we moved out of the city, friends predicted that I would be back within a year, lonely and cut off. Four years later I still work from a converted barn with a view of a sheep field.</p>
<p>The surprise was not the quiet. It was how much of my old working day had been spent travelling between rooms, buildings and meetings that could have been a short written note.</p>
<h2>What did not work</h2>
<p>Video calls all afternoon left me more tired than a day in the office. The fix was boring: no calls after three, and a shared document for every decision, so that nobody needs a meeting to find out what was agreed.</p>
<h2>What I would tell anyone trying it</h2>
<p>Get the fastest line you can afford, find one reason each week to leave the house, and tell your colleagues the hours when you are reachable. They will respect the boundary sooner than you expect.</p>`,
		with: []string{"a converted barn with a view of a sheep field", "travelling between rooms, buildings and meetings", "no calls after three", "find one reason each week to leave the house"},
	},
	{
		name: "interview", title: "“Bees Tell You Everything If You Watch the Entrance”", lang: "en",
		html: `<p>Marta Lindqvist has kept bees on the roof of a city library for eleven years. We asked her what a beginner should look for.</p>
<p><strong>What is the first thing you check when you open a hive?</strong></p>
<blockquote><p>I rarely open it first. I sit by the entrance for five minutes. If foragers come back with pollen on their legs, the queen is laying and the colony is working.</p></blockquote>
<p><strong>And in winter?</strong></p>
<blockquote><p>In winter you leave them alone. You lift the back of the hive to feel its weight, and if it is light you give them fondant, never syrup, because they cannot fly out to clean themselves.</p></blockquote>
<p>Lindqvist runs an evening course for new beekeepers every April.</p>`,
		with: []string{"kept bees on the roof of a city library", "I sit by the entrance for five minutes.", "you give them fondant, never syrup", "runs an evening course for new beekeepers"},
	},
	{
		name: "budget", title: "City Council Approves Budget With Higher Spending on Roads", lang: "en",
		html: `<p>The council approved next year's budget by 31 votes to 12 on Thursday evening, after a debate that lasted almost five hours.</p>
<p>Spending on road repairs rises by a fifth, while the library service receives the same amount as this year. Opposition members argued that the increase for roads came at the cost of youth centres.</p>
<table>
<caption>Main items, in millions</caption>
<tr><th>Item</th><th>This year</th><th>Next year</th></tr>
<tr><td>Road repairs</td><td>40.0</td><td>48.2</td></tr>
<tr><td>Libraries</td><td>12.5</td><td>12.5</td></tr>
<tr><td>Youth centres</td><td>6.1</td><td>5.4</td></tr>
</table>
<p>The mayor said the road programme would concentrate on the northern districts, where most complaints about potholes came from last winter.</p>`,
		with: []string{"by 31 votes to 12 on Thursday evening", "Spending on road repairs rises by a fifth", "Road repairs", "where most complaints about potholes came from last winter."},
	},
	{
		name: "rathaus", title: "Neue Fahrradstraße am Rathausplatz eröffnet", lang: "de",
		html: `<p>Seit Montag dürfen Radfahrerinnen und Radfahrer die Straße zwischen Rathausplatz und Bahnhof auf ganzer Breite nutzen. Autos sind nur noch für Anwohner und Lieferverkehr zugelassen.</p>
<p>Die Stadt hatte die Umgestaltung im vergangenen Herbst beschlossen. Nach Angaben des Verkehrsamtes fahren dort werktags rund 4.000 Räder, doppelt so viele wie vor fünf Jahren.</p>
<h2>Kritik vom Einzelhandel</h2>
<p>Einige Geschäftsleute befürchten weniger Kundschaft. Der Verein der Innenstadthändler will die Umsätze ein Jahr lang beobachten und dann eine Bilanz ziehen.</p>`,
		with: []string{"auf ganzer Breite nutzen", "rund 4.000 Räder, doppelt so viele wie vor fünf Jahren", "ein Jahr lang beobachten"},
	},
	{
		name: "lighthouse", title: "The Keepers of the North Rock Light", lang: "en",
		html: `<p>For ninety years the light on North Rock was kept by three men at a time, who spent six weeks on the rock and two weeks ashore.</p>
<p>The logbooks, now held by the county archive, record the weather every four hours, every ship that passed within sight, and, in the margins, the small events of a closed world: a gull with a broken wing nursed back to health, a game of chess that lasted a whole winter.</p>
<p>Automation came in 1987. The last keeper, a former fisherman, wrote a single line in the final log: the lamp is lit, the rock is quiet, and we are going home.</p>`,
		with: []string{"six weeks on the rock and two weeks ashore", "a game of chess that lasted a whole winter", "the lamp is lit, the rock is quiet"},
	},
	{
		name: "kettle", title: "Stovetop Kettle, 1.8 Litres, Brushed Steel", lang: "en",
		html: `<p>A whistling kettle for gas, electric and induction hobs, made from 18/10 stainless steel with a thick, heat-spreading base.</p>
<p>The spout lid opens with a thumb lever, so your fingers stay clear of the steam, and the handle is wrapped in heat-resistant silicone.</p>
<ul>
<li>Capacity: 1.8 litres</li>
<li>Suitable for induction</li>
<li>Dishwasher safe, except the handle</li>
</ul>
<p>Descale it once a month in hard-water areas with a solution of citric acid.</p>`,
		with: []string{"made from 18/10 stainless steel", "The spout lid opens with a thumb lever", "Suitable for induction", "with a solution of citric acid."},
	},
	{
		name: "crumble", title: "Apple Crumble for a Crowd", lang: "en",
		html: `<p>This is the crumble we bake for the village harvest lunch. It feeds twelve and can be assembled the evening before.</p>
<h3>Ingredients</h3>
<ul>
<li>2 kg cooking apples</li>
<li>100 g brown sugar</li>
<li>300 g plain flour</li>
<li>200 g cold butter, cubed</li>
<li>100 g rolled oats</li>
</ul>
<h3>Method</h3>
<ol>
<li>Peel, core and slice the apples, toss them with half the sugar and spread them in a large dish.</li>
<li>Rub the butter into the flour until it looks like breadcrumbs, then stir in the oats and the rest of the sugar.</li>
<li>Scatter the topping over the fruit without pressing it down.</li>
<li>Bake at 180 °C for 45 minutes, until the top is golden and the juice bubbles at the edges.</li>
</ol>`,
		with: []string{"It feeds twelve and can be assembled the evening before.", "200 g cold butter, cubed", "Rub the butter into the flour until it looks like breadcrumbs", "until the top is golden and the juice bubbles at the edges."},
	},
	{
		name: "marche", title: "Le marché couvert rouvre ses portes", lang: "fr",
		html: `<p>Après dix-huit mois de travaux, le marché couvert de la place Saint-Jean a rouvert samedi matin. Une trentaine de commerçants ont retrouvé leurs étals sous la charpente restaurée.</p>
<p>La verrière d’origine, qui laissait passer la pluie depuis des années, a été entièrement remplacée. Les horaires restent les mêmes : du mardi au dimanche, de 7 heures à 13 heures.</p>`,
		with: []string{"Après dix-huit mois de travaux", "a été entièrement remplacée", "du mardi au dimanche, de 7 heures à 13 heures"},
	},
	{
		name: "garden", title: "Growing Vegetables on a Balcony Facing North", lang: "en",
		html: `<p>A north-facing balcony gets little direct sun, but it is not a lost cause. Leafy crops need far less light than fruiting ones.</p>
<p>Lettuce, spinach, chard and most herbs with soft leaves will grow happily with three or four hours of bright, indirect light. Tomatoes and peppers will not, so do not waste compost on them.</p>
<h2>Containers</h2>
<p>Use the deepest pots the balcony can carry. Shallow troughs dry out within a day in summer wind, and the roots of chard reach down further than people expect.</p>
<p>Water in the morning, so that the leaves dry before evening and slugs find less to enjoy.</p>`,
		with: []string{"Leafy crops need far less light than fruiting ones.", "three or four hours of bright, indirect light", "Shallow troughs dry out within a day in summer wind", "slugs find less to enjoy."},
	},
	{
		name: "pyretry", title: "Retrying Flaky Network Calls in Python Without a Library", lang: "en",
		html: `<p>Before reaching for a retry package, it is worth seeing how little code a sensible retry loop needs.</p>
<pre class="highlight"><code class="language-python">import random, time

def retry(call, attempts=5, base=0.5):
    for n in range(attempts):
        try:
            return call()
        except ConnectionError:
            if n == attempts - 1:
                raise
            time.sleep(base * 2 ** n + random.random() * base)
</code></pre>
<p>The random part, called <em>jitter</em>, keeps a hundred clients that failed at the same moment from all retrying at the same moment too.</p>
<p>Only retry errors that can succeed on a second try: a refused connection, yes; a <code>404 Not Found</code>, no.</p>`,
		with: []string{"how little code a sensible retry loop needs", "def retry(call, attempts=5, base=0.5):", "time.sleep(base * 2 ** n + random.random() * base)", "keeps a hundred clients that failed at the same moment"},
	},
	{
		name: "faq", title: "Library Card FAQ", lang: "en",
		html: `<dl>
<dt>Who can get a library card?</dt>
<dd>Anyone who lives, works or studies in the county can register, free of charge, at any branch.</dd>
<dt>How many books can I borrow?</dt>
<dd>Up to twenty items at a time, including no more than five DVDs.</dd>
<dt>What happens if I return a book late?</dt>
<dd>There are no fines for late returns, but you cannot borrow more items until overdue ones are back.</dd>
</dl>`,
		with: []string{"Anyone who lives, works or studies in the county", "Up to twenty items at a time", "There are no fines for late returns"},
	},
}

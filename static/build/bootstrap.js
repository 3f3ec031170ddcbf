// The only Bootstrap script the site uses: the navbar's collapse (data-bs-toggle="collapse").
// Importing the source module registers its data API.
import "bootstrap/js/src/collapse.js";

// Starts Swagger UI on this server's own OpenAPI document. Nothing is fetched from other hosts:
// no validator badge, no remote configuration. Loaded as a file, so the page needs no inline script.
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  configUrl: null,
  withCredentials: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
})

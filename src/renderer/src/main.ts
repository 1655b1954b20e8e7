import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { config as zodConfig } from 'zod'
import App from './App.vue'
import { createAppRouter } from './router'
import './styles/base.css'

// The page's CSP forbids eval: stop zod (used by the shared schemas) from even probing for it.
zodConfig({ jitless: true })

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')

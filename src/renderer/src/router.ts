import { createRouter, createWebHashHistory, type Router, type RouterHistory } from 'vue-router'
import HomePage from './pages/HomePage.vue'
import LabPage from './pages/LabPage.vue'

/** Hash history: the page is a file (Electron) or one path on the browser host. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  return createRouter({
    history,
    routes: [
      { path: '/', name: 'home', component: HomePage },
      { path: '/lab/:labId/:stepId?', name: 'lab', component: LabPage },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  })
}
